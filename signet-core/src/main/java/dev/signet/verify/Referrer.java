package dev.signet.verify;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerifierReport;
import java.util.Map;

/**
 * One referrer of a subject as a verifier judges it: what it is, how to read its content from the
 * store that listed it, and the reports the verifier makes about it. Reading records the step the
 * verification is in (fetching, then verifying again), so that a verification abandoned at the
 * deadline says where it stood.
 */
public final class Referrer {
  private final String verifierName;
  private final String verifierType;
  private final Reference subject;
  private final Descriptor subjectDescriptor;
  private final Descriptor descriptor;
  private final ReferrerStore store;
  private final Executor.StepTracker steps;

  /**
   * @param verifierName the configured name of the verifier judging
   * @param verifierType its implementation type
   * @param subject the subject reference as given
   * @param subjectDescriptor the resolved subject
   * @param descriptor the referrer's descriptor
   * @param store the store that listed the referrer (its content is read from there)
   */
  public Referrer(
      String verifierName,
      String verifierType,
      Reference subject,
      Descriptor subjectDescriptor,
      Descriptor descriptor,
      ReferrerStore store) {
    this(verifierName, verifierType, subject, subjectDescriptor, descriptor, store,
        new Executor.StepTracker(null));
  }

  Referrer(
      String verifierName,
      String verifierType,
      Reference subject,
      Descriptor subjectDescriptor,
      Descriptor descriptor,
      ReferrerStore store,
      Executor.StepTracker steps) {
    this.verifierName = verifierName;
    this.verifierType = verifierType;
    this.subject = subject;
    this.subjectDescriptor = subjectDescriptor;
    this.descriptor = descriptor;
    this.store = store;
    this.steps = steps;
  }

  public String verifierName() {
    return verifierName;
  }

  public String verifierType() {
    return verifierType;
  }

  public Reference subject() {
    return subject;
  }

  public Descriptor subjectDescriptor() {
    return subjectDescriptor;
  }

  public Descriptor descriptor() {
    return descriptor;
  }

  /** The repository trust policies name for the subject in the listing store. */
  public String policyRepository() {
    return store.policyRepository(subject);
  }

  /** The manifest {@code d} (the referrer's own, or the subject's) from the listing store. */
  public byte[] fetchManifest(Descriptor d, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return fetching(() -> store.fetchManifest(subject, d, deadline));
  }

  /** The blob {@code d} (a layer of the referrer) from the listing store. */
  public byte[] fetchBlob(Descriptor d, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return fetching(() -> store.fetchBlob(subject, d, deadline));
  }

  /** One read from the store. */
  @FunctionalInterface
  private interface Read {
    byte[] run() throws StoreException, DeadlineExceededException;
  }

  /**
   * Runs {@code read} as the fetch step, then returns to verifying. The step is left as it is when
   * the read throws, so a deadline there is reported as a fetch.
   */
  private byte[] fetching(Read read) throws StoreException, DeadlineExceededException {
    steps.set(Step.FETCH);
    byte[] content = read.run();
    steps.set(Step.VERIFY);
    return content;
  }

  /** A report about this referrer, by this verifier, to be filled in. */
  public VerifierReport.Builder report() {
    return VerifierReport.about(subject.toString())
        .verifier(verifierName, verifierType)
        .referrer(descriptor.digest().toString(), descriptor.artifactType());
  }

  public VerifierReport success(String message, Map<String, Object> extensions) {
    return report().passed(message).extensions(extensions).build();
  }

  /** A denial about the artifact's content: it was judged and found wanting. */
  public VerifierReport failure(
      String message, String reason, String remediation, Map<String, Object> extensions) {
    return failure(FailureKind.DENIED, ErrorCode.VERIFY_REFERENCE_FAILURE, message, reason,
        remediation, extensions);
  }

  public VerifierReport failure(
      FailureKind kind,
      ErrorCode code,
      String message,
      String reason,
      String remediation,
      Map<String, Object> extensions) {
    return report().failure(kind, code, message, reason, remediation).extensions(extensions)
        .build();
  }

  public VerifierReport failure(ReferrerFailure e, Map<String, Object> extensions) {
    return failure(e.kind(), e.code(), e.getMessage(), e.reason(), e.remediation(), extensions);
  }
}
