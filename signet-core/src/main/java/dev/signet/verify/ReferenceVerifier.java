package dev.signet.verify;

import dev.signet.result.VerifierReport;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.reference.Reference;
import java.util.Set;

/** A verifier for one kind of referrer (Ratify's verifier plugins: notation, cosign, ...). */
public interface ReferenceVerifier {
  /** The configured name. */
  String name();

  /** The implementation type, e.g. {@code notation}. */
  String type();

  /** Whether this verifier judges referrers of the given artifact type. */
  boolean canVerify(String artifactType);

  /**
   * Ratify's {@code nestedReferences}: artifact types whose presence turns on nested verification.
   * When not empty, the executor also verifies the referrers of every referrer this verifier judges
   * ({@code <repository>@<referrerDigest>}) and attaches them as the report's nested results; as in
   * Ratify v1.4 every nested referrer a verifier handles is judged, not only the listed types.
   */
  default Set<String> nestedReferences() {
    return Set.of();
  }

  /**
   * Judges one referrer of a subject, reading its content through {@code referrer} (which records
   * the step a deadline interrupts). Expected failures are reports, not exceptions.
   */
  VerifierReport verify(Referrer referrer, Deadline deadline) throws DeadlineExceededException;

  /**
   * Judges one referrer of a subject, listed by {@code store}.
   *
   * @param subject the subject reference as given by the caller
   * @param subjectDescriptor the resolved subject
   * @param referrer the referrer's descriptor
   */
  default VerifierReport verify(
      Reference subject,
      Descriptor subjectDescriptor,
      Descriptor referrer,
      ReferrerStore store,
      Deadline deadline)
      throws DeadlineExceededException {
    return verify(
        new Referrer(name(), type(), subject, subjectDescriptor, referrer, store), deadline);
  }
}
