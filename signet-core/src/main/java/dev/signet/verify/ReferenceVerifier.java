package dev.signet.verify;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.reference.Reference;

/** A verifier for one kind of referrer (Ratify's verifier plugins: notation, cosign, ...). */
public interface ReferenceVerifier {
  /** The configured name. */
  String name();

  /** The implementation type, e.g. {@code notation}. */
  String type();

  /** Whether this verifier judges referrers of the given artifact type. */
  boolean canVerify(String artifactType);

  /**
   * Judges one referrer of a subject. Expected failures are reports, not exceptions.
   *
   * @param subject the subject reference as given by the caller
   * @param subjectDescriptor the resolved subject
   * @param referrer the referrer's descriptor
   */
  VerifierReport verify(
      Reference subject,
      Descriptor subjectDescriptor,
      Descriptor referrer,
      ReferrerStore store,
      Deadline deadline)
      throws DeadlineExceededException;
}
