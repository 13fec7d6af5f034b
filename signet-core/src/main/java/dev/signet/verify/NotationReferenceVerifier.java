package dev.signet.verify;

import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerifierReport;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.notation.NotationVerifier;
import dev.signet.notation.VerificationOutcome;
import dev.signet.notation.x509.GoNameFormat;
import dev.signet.oci.Descriptor;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code notation} verifier: fetches a signature manifest and its envelope from the store and
 * judges it with {@link NotationVerifier} (checklist §1.4 for the manifest rules).
 */
public final class NotationReferenceVerifier extends ConfiguredVerifier {
  public static final String TYPE = "notation";

  private final NotationVerifier verifier;

  /**
   * @param artifactTypes the artifact types this verifier judges ({@code *} for any)
   */
  public NotationReferenceVerifier(String name, Set<String> artifactTypes, NotationVerifier verifier) {
    this(name, artifactTypes, Set.of(), verifier);
  }

  /**
   * @param artifactTypes the artifact types this verifier judges ({@code *} for any)
   * @param nestedReferences Ratify's {@code nestedReferences} (see {@link
   *     ReferenceVerifier#nestedReferences()}); empty for none
   */
  public NotationReferenceVerifier(
      String name, Set<String> artifactTypes, Set<String> nestedReferences, NotationVerifier verifier) {
    super(name, TYPE, artifactTypes, nestedReferences);
    this.verifier = verifier;
  }

  @Override
  protected VerifierReport judge(Referrer judged, Deadline deadline)
      throws ReferrerFailure, DeadlineExceededException {
    Descriptor referrer = judged.descriptor();
    String mediaType = referrer.mediaType();
    if (!MediaTypes.OCI_MANIFEST.equals(mediaType)
        && !MediaTypes.OCI_ARTIFACT_MANIFEST.equals(mediaType)) {
      throw new ReferrerFailure(
          FailureKind.DENIED,
          ErrorCode.MANIFEST_INVALID,
          "signature manifest is not usable",
          "the signature manifest's media type must be "
              + MediaTypes.OCI_MANIFEST
              + " or "
              + MediaTypes.OCI_ARTIFACT_MANIFEST
              + ", got \""
              + mediaType
              + "\"",
          "Re-sign the artifact with a current notation release.");
    }
    Manifest manifest;
    try {
      manifest = Manifest.parse(judged.fetchManifest(referrer, deadline), mediaType);
    } catch (StoreException | ManifestFormatException e) {
      // The store checks the digest, so an unparsable manifest is what was signed.
      throw new ReferrerFailure(
          e instanceof StoreException ? FailureKind.TRANSIENT : FailureKind.DENIED,
          ErrorCode.GET_REFERRER_MANIFEST_FAILURE,
          "could not read the signature manifest " + referrer.digest(),
          e.getMessage(),
          "Check that the registry is reachable and the signature manifest is intact.");
    }
    if (manifest.layers().size() != 1) {
      throw new ReferrerFailure(
          FailureKind.DENIED,
          ErrorCode.MANIFEST_INVALID,
          "signature manifest is not usable",
          "a signature manifest requires exactly one signature envelope blob, got "
              + manifest.layers().size(),
          "Re-sign the artifact with notation.");
    }
    Descriptor envelopeDescriptor = manifest.layers().get(0);
    byte[] envelope;
    try {
      envelope = judged.fetchBlob(envelopeDescriptor, deadline);
    } catch (StoreException e) {
      throw new ReferrerFailure(
          FailureKind.TRANSIENT,
          ErrorCode.GET_BLOB_CONTENT_FAILURE,
          "could not read the signature envelope " + envelopeDescriptor.digest(),
          e.getMessage(),
          "Check that the registry is reachable and the signature blob is intact.");
    }
    Descriptor subjectDescriptor = judged.subjectDescriptor();
    String artifactReference = judged.policyRepository() + "@" + subjectDescriptor.digest();
    VerificationOutcome outcome =
        verifier.verify(
            subjectDescriptor, artifactReference, envelopeDescriptor.mediaType(), envelope, deadline);
    deadline.check("notation verification");
    return report(judged, outcome);
  }

  private static VerifierReport report(Referrer judged, VerificationOutcome outcome) {
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (outcome.content() != null) {
      X509Certificate leaf = outcome.content().leaf();
      extensions.put("Issuer", GoNameFormat.format(leaf.getIssuerX500Principal()));
      extensions.put("SN", GoNameFormat.format(leaf.getSubjectX500Principal()));
    }
    if (outcome.statement() != null) {
      extensions.put("trustPolicyStatement", outcome.statement());
    }
    List<String> warnings =
        outcome.warnings().stream()
            .map(w -> w.check().reportName() + " was set to \"log\": " + w.failure())
            .toList();
    if (!warnings.isEmpty()) {
      extensions.put("warnings", warnings);
    }
    if (outcome.verified()) {
      return judged.success(
          outcome.skipped()
              ? "Trust policy is configured to skip signature verification"
              : "Notation signature verification success",
          extensions);
    }
    String message;
    String remediation;
    if (outcome.failedCheck() == null) {
      message = "no trust policy applies to the artifact";
      remediation =
          "Add a trust policy statement whose registryScopes include the repository, or \"*\".";
    } else {
      message = outcome.failedCheck().reportName() + " validation failed";
      remediation = outcome.failedCheck().remediation();
      extensions.put("failedCheck", outcome.failedCheck().reportName());
    }
    return judged.failure(message, outcome.reason(), remediation, extensions);
  }
}
