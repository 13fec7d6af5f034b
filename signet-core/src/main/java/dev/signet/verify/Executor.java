package dev.signet.verify;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies one subject: resolve it, list its referrers in every store, judge each referrer with
 * the first verifier (in configuration order) that handles its artifact type, then apply the policy.
 * Any error, including a passed deadline, is a failed result, never an allow.
 */
public final class Executor {
  private final List<ReferrerStore> stores;
  private final List<ReferenceVerifier> verifiers;
  private final dev.signet.policy.VerificationPolicy policy;
  private final Duration timeout;
  private final Clock clock;

  public Executor(
      List<ReferrerStore> stores,
      List<ReferenceVerifier> verifiers,
      dev.signet.policy.VerificationPolicy policy,
      Duration timeout,
      Clock clock) {
    this.stores = List.copyOf(stores);
    this.verifiers = List.copyOf(verifiers);
    this.policy = policy;
    this.timeout = timeout;
    this.clock = clock;
  }

  public VerificationResult verify(String subjectText) {
    Reference subject;
    try {
      subject = Reference.parse(subjectText);
    } catch (IllegalArgumentException e) {
      return failed(
          subjectText,
          VerifierReport.subjectFailure(
              subjectText,
              ErrorCode.REFERENCE_INVALID,
              "the subject is not a valid image reference",
              e.getMessage(),
              "Give the image as host[:port]/repository[:tag][@sha256:<hex>]."));
    }
    Deadline deadline = Deadline.after(clock, timeout);
    try {
      return verify(subject, deadline);
    } catch (DeadlineExceededException e) {
      return failed(
          subjectText,
          VerifierReport.subjectFailure(
              subjectText,
              ErrorCode.DEADLINE_EXCEEDED,
              "verification did not finish within " + timeout.toMillis() + " ms",
              e.getMessage(),
              "Retry; if it keeps happening, check registry latency and raise"
                  + " executor.verificationRequestTimeout."));
    }
  }

  private VerificationResult verify(Reference subject, Deadline deadline)
      throws DeadlineExceededException {
    String text = subject.toString();
    ReferrerStore store = null;
    Descriptor descriptor = null;
    List<String> resolveErrors = new ArrayList<>();
    for (ReferrerStore s : stores) {
      try {
        descriptor = s.resolve(subject, deadline);
        store = s;
        break;
      } catch (StoreException e) {
        resolveErrors.add(e.getMessage());
      }
    }
    if (descriptor == null) {
      return failed(
          text,
          VerifierReport.subjectFailure(
              text,
              ErrorCode.REFERRER_STORE_FAILURE,
              "could not resolve the subject in any store",
              String.join("; ", resolveErrors),
              "Check the image reference and that the store (registry or OCI layout) holds it."));
    }
    if (subject.digest() != null && !subject.digest().equals(descriptor.digest())) {
      return failed(
          text,
          VerifierReport.subjectFailure(
              text,
              ErrorCode.GET_SUBJECT_DESCRIPTOR_FAILURE,
              "the store resolved the subject to another digest",
              "requested " + subject.digest() + " but the store resolved " + descriptor.digest(),
              "Check the store's content; the digest given must be the artifact's."));
    }
    deadline.check("resolving the subject");

    List<Descriptor> referrers;
    try {
      referrers = store.referrers(subject, descriptor, null, deadline);
    } catch (StoreException e) {
      return failed(
          text,
          VerifierReport.subjectFailure(
              text,
              ErrorCode.LIST_REFERRERS_FAILURE,
              "could not list the referrers (signatures) of the subject",
              e.getMessage(),
              "Check that the registry is reachable and the credentials allow reading the repository."));
    }
    List<VerifierReport> reports = new ArrayList<>();
    for (Descriptor referrer : referrers) {
      for (ReferenceVerifier v : verifiers) {
        if (v.canVerify(referrer.artifactType())) {
          reports.add(v.verify(subject, descriptor, referrer, store, deadline));
          break;
        }
      }
    }
    if (reports.isEmpty()) {
      return failed(
          text,
          VerifierReport.subjectFailure(
              text,
              ErrorCode.NO_VERIFIER_REPORT,
              "no signature was found for the subject "
                  + subject.name()
                  + "@"
                  + descriptor.digest()
                  + (referrers.isEmpty()
                      ? ""
                      : " (" + referrers.size() + " referrer(s), none of a type a verifier handles)"),
              "no signature is associated with \""
                  + subject.name()
                  + "@"
                  + descriptor.digest()
                  + "\"",
              "Sign the image (e.g. notation sign) and push the signature to the same repository."));
    }
    return new VerificationResult(text, policy.allows(reports), reports);
  }

  private static VerificationResult failed(String subject, VerifierReport report) {
    return new VerificationResult(subject, false, List.of(report));
  }
}
