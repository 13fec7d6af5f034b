package dev.signet.verify;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.result.VerifierReport;
import java.util.Map;
import java.util.Set;

/**
 * What every configured verifier shares: its name, type, artifact types and {@code
 * nestedReferences}, and the turning of a {@link ReferrerFailure} into the referrer's failure
 * report.
 */
public abstract class ConfiguredVerifier implements ReferenceVerifier {
  private final String name;
  private final String type;
  private final Set<String> artifactTypes;
  private final Set<String> nestedReferences;

  /**
   * @param artifactTypes the artifact types judged ({@code *} for any)
   * @param nestedReferences Ratify's {@code nestedReferences}; empty for none
   */
  protected ConfiguredVerifier(
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

  @Override
  public final VerifierReport verify(Referrer r, Deadline deadline)
      throws DeadlineExceededException {
    try {
      return judge(r, deadline);
    } catch (ReferrerFailure e) {
      return r.failure(e, Map.of());
    }
  }

  /**
   * Judges one referrer. Expected failures are reports, or a {@link ReferrerFailure} that becomes
   * one (without extensions).
   */
  protected abstract VerifierReport judge(Referrer referrer, Deadline deadline)
      throws ReferrerFailure, DeadlineExceededException;
}
