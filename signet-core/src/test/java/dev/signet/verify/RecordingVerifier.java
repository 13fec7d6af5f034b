package dev.signet.verify;

import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerifierReport;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A verifier for executor tests: reads the referrer's manifest through the store, then passes (or
 * fails) after an optional pause that ignores the deadline; records what it judged.
 */
final class RecordingVerifier implements ReferenceVerifier {
  final String name;
  final Set<String> types;
  final Set<String> nested;
  final boolean pass;
  volatile long pauseMillis;
  final List<String> judged = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
  /** The most judgements that ran at the same time. */
  final java.util.concurrent.atomic.AtomicInteger maxRunning = new java.util.concurrent.atomic.AtomicInteger();

  RecordingVerifier(String name, Set<String> types, Set<String> nested, boolean pass) {
    this.name = name;
    this.types = types;
    this.nested = nested;
    this.pass = pass;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "recording";
  }

  @Override
  public boolean canVerify(String artifactType) {
    return types.contains("*") || types.contains(artifactType);
  }

  @Override
  public Set<String> nestedReferences() {
    return nested;
  }

  @Override
  public VerifierReport verify(Referrer judging, Deadline deadline)
      throws DeadlineExceededException {
    judged.add(judging.descriptor().digest().toString());
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      return judge(judging, deadline);
    } finally {
      running.decrementAndGet();
    }
  }

  private VerifierReport judge(Referrer judging, Deadline deadline)
      throws DeadlineExceededException {
    Reference subject = judging.subject();
    Descriptor referrer = judging.descriptor();
    try {
      judging.fetchManifest(referrer, deadline);
    } catch (StoreException e) {
      return report(subject, referrer, false, "fetch failed: " + e.getMessage(), ErrorCode.GET_REFERRER_MANIFEST_FAILURE);
    }
    if (pauseMillis > 0) {
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return report(subject, referrer, false, "interrupted", ErrorCode.EXECUTOR_FAILURE);
      }
    }
    return pass
        ? report(subject, referrer, true, name + " passed", null)
        : report(subject, referrer, false, name + " rejected it", ErrorCode.VERIFY_REFERENCE_FAILURE);
  }

  private VerifierReport report(Reference subject, Descriptor referrer, boolean ok, String message, ErrorCode code) {
    return VerifierReport.about(subject.toString())
        .verifier(name, type())
        .referrer(referrer.digest().toString(), referrer.artifactType())
        .success(ok)
        .message(message)
        .errorReason(ok ? "" : message)
        .remediation(ok ? "" : "fix it")
        .errorCode(code)
        .failureKind(kindOf(code))
        .build();
  }

  private static FailureKind kindOf(ErrorCode code) {
    if (code == null) {
      return null;
    }
    return code == ErrorCode.VERIFY_REFERENCE_FAILURE ? FailureKind.DENIED : FailureKind.TRANSIENT;
  }
}
