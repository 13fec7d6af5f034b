package dev.signet.artifact;

import dev.signet.oci.Descriptor;
import dev.signet.reference.Reference;
import dev.signet.verify.ReferenceVerifier;
import java.util.Set;

/**
 * What every verifier of attached artifacts (SBOMs, scans, JSON documents) shares: its configured
 * name, type, artifact types and {@code nestedReferences}.
 */
public abstract class AttachmentVerifier implements ReferenceVerifier {
  private final String name;
  private final String type;
  private final Set<String> artifactTypes;
  private final Set<String> nestedReferences;

  /**
   * @param artifactTypes the artifact types judged ({@code *} for any)
   * @param nestedReferences Ratify's {@code nestedReferences}; empty for none
   */
  protected AttachmentVerifier(
      String name, String type, Set<String> artifactTypes, Set<String> nestedReferences) {
    this.name = name;
    this.type = type;
    this.artifactTypes = Set.copyOf(artifactTypes);
    this.nestedReferences = Set.copyOf(nestedReferences);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final boolean canVerify(String artifactType) {
    return artifactTypes.contains("*") || artifactTypes.contains(artifactType);
  }

  @Override
  public final Set<String> nestedReferences() {
    return nestedReferences;
  }

  /** The reports this verifier makes about one referrer of a subject. */
  protected final ReferrerReports reports(Reference subject, Descriptor referrer) {
    return new ReferrerReports(name, type, subject, referrer);
  }
}
