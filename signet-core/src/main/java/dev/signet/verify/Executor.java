package dev.signet.verify;

// Ratify's executor flow, ratify-reference.md §1.1 (steps 2-6) with config policy.

import dev.signet.cache.TagCache;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.policy.VerificationPolicy;
import dev.signet.reference.Reference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Verifies one subject: resolve it (first store that knows it), list its referrers in every store,
 * judge each referrer, then apply the policy. Any error, including a passed deadline, is a failed
 * result, never an allow.
 *
 * <p><b>Stores.</b> The subject is resolved by the first store, in configuration order, that knows
 * it. Its referrers are then listed from <em>every</em> store, one virtual thread per store, all
 * within the deadline (ratify-reference.md §1.1 step 4). Each referrer is fetched and verified with
 * the store that listed it, and its nested referrers are listed from that store only. A referrer
 * listed by several stores (same digest) is judged once, with the first of those stores in
 * configuration order. Reports are in store order, then in each store's listing order.
 *
 * <p>Listing is fail closed, as in Ratify: a store whose listing fails fails the whole
 * verification with {@link ErrorCode#LIST_REFERRERS_FAILURE} naming the store ({@code store <n>
 * (<kind>)}, n counted from 1 in configuration order), and the other listings are abandoned. The one
 * exception is a store that does not know the subject, which lists nothing: what the store
 * interfaces let us tell apart is
 *
 * <ul>
 *   <li>a listing that returns an empty list: an OCI layout, and a registry's referrers API or tag
 *       schema, answer so for a subject they do not hold;
 *   <li>a {@link StoreException} whose {@link StoreException#subjectUnknown() subjectUnknown()}
 *       is true (for a registry: HTTP 404 with the distribution error code {@code NAME_UNKNOWN} or
 *       {@code MANIFEST_UNKNOWN}): the store does not know the repository or the subject, so it has
 *       nothing to contribute.
 * </ul>
 *
 * Every other error fails, including a 404 without one of those codes (for instance a later page
 * of a listing that vanished: the listing would be incomplete) and any {@link StoreException} from
 * an OCI layout (it does not say "not found" apart from "unreadable").
 *
 * <p><b>Verifier choice.</b> Each referrer is judged by the <em>first</em> verifier, in
 * configuration order, whose {@code artifactTypes} match the referrer's artifact type ({@code *}
 * matches any); later verifiers are not consulted (Ratify's config-policy behaviour). A referrer that
 * no verifier handles gets no report.
 *
 * <p><b>Concurrency.</b> The referrers of a subject are judged in parallel, each on its own virtual
 * thread; the report order is the listing order above, so reports are stable. {@link #verifyAll}
 * verifies subjects in parallel the same way.
 *
 * <p><b>Nested verification.</b> When the chosen verifier has {@link
 * ReferenceVerifier#nestedReferences() nestedReferences}, the referrer's own referrers ({@code
 * <repository>@<referrerDigest>}), listed by the store that listed the referrer, are verified with
 * the same rules and attached as the report's {@code nestedResults}; a failing nested result fails
 * the report with "nested verification failed". Nested reports are not judged by the policy: they
 * pass when every one of them passes (Ratify applies its config policy there too, so a policy that
 * lists artifact types can never pass a nested verification). Nesting stops at {@value #MAX_NESTING_DEPTH} levels
 * below the subject's referrers (a deeper chain fails).
 *
 * <p><b>Deadline.</b> Every step waits at most until the deadline ({@code
 * executor.verificationRequestTimeout}). A step still running then is interrupted and abandoned, and
 * the result is a failure with {@link ErrorCode#DEADLINE_EXCEEDED} whose {@code extensions.step}
 * names the step: {@code resolve}, {@code list referrers}, {@code fetch} or {@code verify}.
 */
public final class Executor implements SubjectVerifier {
  /** How many levels of nested referrers are verified below the subject's own referrers. */
  public static final int MAX_NESTING_DEPTH = 3;

  /**
   * Where one referrer's judgement stands. Nested verification reports its steps to the trackers
   * of every enclosing referrer, so that a referrer abandoned at the deadline names the step that
   * was actually running, however deep.
   */
  static final class StepTracker {
    private final StepTracker enclosing;
    private volatile Step step = Step.VERIFY;

    StepTracker(StepTracker enclosing) {
      this.enclosing = enclosing;
    }

    void set(Step s) {
      step = s;
      if (enclosing != null) {
        enclosing.set(s);
      }
    }

    Step get() {
      return step;
    }
  }

  private final List<ReferrerStore> stores;
  private final List<ReferenceVerifier> verifiers;
  private final VerificationPolicy policy;
  private final Duration timeout;
  private final Clock clock;

  public Executor(
      List<ReferrerStore> stores,
      List<ReferenceVerifier> verifiers,
      VerificationPolicy policy,
      Duration timeout,
      Clock clock) {
    this.stores = List.copyOf(stores);
    this.verifiers = List.copyOf(verifiers);
    this.policy = policy;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The budget of one verification ({@code executor.verificationRequestTimeout}). */
  public Duration timeout() {
    return timeout;
  }

  /** Verifies one subject within its own deadline of {@link #timeout()}. */
  public VerificationResult verify(String subjectText) {
    Reference subject;
    try {
      subject = Reference.parse(subjectText);
    } catch (IllegalArgumentException e) {
      return Failure.invalidReference(e).result(subjectText);
    }
    return verify(subject, Deadline.after(clock, timeout));
  }

  /** The stores, in configuration order: the first that knows a subject resolves it. */
  public List<ReferrerStore> stores() {
    return stores;
  }

  /**
   * Verifies subjects in parallel, each within its own deadline; the results are in the order of
   * {@code subjects}.
   */
  public List<VerificationResult> verifyAll(List<String> subjects) {
    return inParallel(subjects, this::verify, timeout);
  }

  /** At most this many subjects of one batch are verified at a time. */
  static final int MAX_PARALLEL_SUBJECTS = 64;

  static List<VerificationResult> inParallel(
      List<String> subjects,
      java.util.function.Function<String, VerificationResult> verification,
      Duration budget) {
    // Each verification stops waiting at its own deadline; the grace only guards against a bug.
    long until = System.nanoTime() + budget.plusSeconds(1).toNanos();
    List<Parallel.Outcome<VerificationResult>> outcomes =
        Parallel.run(subjects, verification, MAX_PARALLEL_SUBJECTS, until);
    boolean interrupted = Thread.currentThread().isInterrupted();
    List<VerificationResult> results = new ArrayList<>(subjects.size());
    for (int i = 0; i < subjects.size(); i++) {
      String subject = subjects.get(i);
      results.add(
          switch (outcomes.get(i)) {
            case Parallel.Done<VerificationResult> d -> d.value();
            case Parallel.Failed<VerificationResult> f -> Failure.unexpected(f.cause()).result(subject);
            case Parallel.TimedOut<VerificationResult> t ->
                (interrupted
                        ? Failure.interrupted("verification was interrupted", "the caller stopped waiting")
                        : Failure.of(
                            FailureKind.TRANSIENT,
                            ErrorCode.DEADLINE_EXCEEDED,
                            "verification did not finish within " + budget.toMillis() + " ms",
                            "the batch stopped waiting for this subject",
                            Failure.TIMEOUT_REMEDIATION))
                    .result(subject);
          });
    }
    return results;
  }

  /** Verifies a parsed subject within {@code deadline}. */
  @Override
  public VerificationResult verify(Reference subject, Deadline deadline) {
    return switch (resolver(TagCache.off()).resolve(subject, deadline)) {
      case ImageResolver.Unresolved u -> u.failure().result(subject.toString());
      case ImageResolver.Resolved r -> verify(subject, r, deadline);
    };
  }

  /**
   * How this executor resolves subjects: the first of its stores that knows one ({@link
   * ImageResolver#firstOf}), with tag resolutions kept in {@code tags}.
   */
  public ImageResolver resolver(TagCache tags) {
    return ImageResolver.firstOf(stores, tags, timeout);
  }

  /**
   * Verifies a subject {@link #resolver resolved} by this executor: its referrers, their nested
   * referrers, then the policy.
   */
  @Override
  public VerificationResult verify(Reference subject, ImageResolver.Resolved resolved, Deadline deadline) {
    return verifyReferrers(subject, stores, resolved.descriptor(), 0, null, deadline);
  }

  /**
   * @param from the stores to list the referrers from: every store for the subject, the listing
   *     store for nested referrers
   * @param enclosing the tracker of the referrer whose nested referrers these are, or null
   */
  private VerificationResult verifyReferrers(
      Reference subject,
      List<ReferrerStore> from,
      Descriptor descriptor,
      int depth,
      StepTracker enclosing,
      Deadline deadline) {
    String text = subject.toString();
    if (enclosing != null) {
      enclosing.set(Step.LIST_REFERRERS);
    }
    List<Listed> referrers;
    switch (listReferrers(subject, from, descriptor, deadline)) {
      case ListingFailed f -> {
        return f.result();
      }
      case Listing l -> referrers = l.referrers();
    }

    record Pending(
        Descriptor referrer,
        ReferenceVerifier verifier,
        StepTracker step,
        Future<VerifierReport> task) {}
    List<Pending> pending = new ArrayList<>();
    for (Listed listed : referrers) {
      Descriptor referrer = listed.referrer();
      ReferrerStore store = listed.store();
      Optional<ReferenceVerifier> chosen = verifierFor(referrer);
      if (chosen.isEmpty()) {
        continue;
      }
      ReferenceVerifier verifier = chosen.get();
      StepTracker step = new StepTracker(enclosing);
      Future<VerifierReport> task =
          fork(
              "signet-referrer",
              () -> judge(subject, descriptor, referrer, verifier, store, depth, deadline, step));
      pending.add(new Pending(referrer, verifier, step, task));
    }

    List<VerifierReport> reports = new ArrayList<>(pending.size());
    boolean interrupted = false;
    for (Pending p : pending) {
      VerifierReport report;
      try {
        report = p.task().get(waitNanos(deadline), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        p.task().cancel(true);
        report =
            referrerDeadline(subject, p.verifier(), p.referrer(), p.step().get(), "the step was abandoned");
      } catch (InterruptedException | CancellationException e) {
        // Interrupted: every task is cancelled, and the later ones then answer with cancellation.
        interrupted = true;
        pending.forEach(x -> x.task().cancel(true));
        report = referrerFailure(subject, p.verifier(), p.referrer(), FailureKind.TRANSIENT,
            ErrorCode.EXECUTOR_FAILURE, "verification was interrupted",
            "the caller stopped waiting", "Retry.");
      } catch (ExecutionException e) {
        report =
            referrerFailure(
                subject,
                p.verifier(),
                p.referrer(),
                FailureKind.BUG,
                ErrorCode.EXECUTOR_FAILURE,
                "the verifier failed unexpectedly",
                String.valueOf(e.getCause()),
                "Report this as a bug, with the subject and the configuration.");
      }
      reports.add(report);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }

    if (reports.isEmpty()) {
      String at = subject.name() + "@" + descriptor.digest();
      return Failure.of(
              FailureKind.DENIED,
              ErrorCode.NO_VERIFIER_REPORT,
              "no signature was found"
                  + (referrers.isEmpty()
                      ? ""
                      : " (" + referrers.size() + " referrer(s), none of a type a verifier handles)"),
              "no signature is associated with \""
                  + at
                  + "\", make sure the artifact was signed successfully",
              "Sign the image (e.g. notation sign) and push the signature to the same repository.")
          .result(text);
    }
    // A verification cut short by the deadline never allows, whatever the policy says.
    boolean cutShort = reports.stream().anyMatch(Executor::containsTransientStop);
    if (cutShort) {
      return new VerificationResult(text, false, reports);
    }
    // Nested referrers (an SBOM's signature) pass when every one of their reports passes: the
    // policy's per-type rules are about the subject's referrers, and applying them here would
    // demand an SBOM among the SBOM's own referrers.
    return enclosing == null
        ? policy.judge(text, reports)
        : new VerificationResult(text, reports.stream().allMatch(VerifierReport::isSuccess), reports);
  }

  private Optional<ReferenceVerifier> verifierFor(Descriptor referrer) {
    return verifiers.stream().filter(v -> v.canVerify(referrer.artifactType())).findFirst();
  }

  /** Judges one referrer (on its own virtual thread), then its nested referrers if configured. */
  private VerifierReport judge(
      Reference subject,
      Descriptor subjectDescriptor,
      Descriptor referrer,
      ReferenceVerifier verifier,
      ReferrerStore store,
      int depth,
      Deadline deadline,
      StepTracker step) {
    step.set(Step.VERIFY);
    VerifierReport report;
    try {
      report =
          verifier.verify(
              new Referrer(verifier.name(), verifier.type(), subject, subjectDescriptor, referrer,
                  store, step),
              deadline);
    } catch (DeadlineExceededException e) {
      return referrerDeadline(subject, verifier, referrer, step.get(), e.getMessage());
    }
    if (verifier.nestedReferences().isEmpty()) {
      return report;
    }
    return withNested(report, subject, store, referrer, depth + 1, step, deadline);
  }

  private VerifierReport withNested(
      VerifierReport parent,
      Reference subject,
      ReferrerStore store,
      Descriptor referrer,
      int depth,
      StepTracker step,
      Deadline deadline) {
    Reference nestedSubject = new Reference(subject.name(), null, referrer.digest());
    VerificationResult nested;
    if (depth > MAX_NESTING_DEPTH) {
      String text = nestedSubject.toString();
      nested =
          Failure.of(
                  FailureKind.CONFIGURATION,
                  ErrorCode.VERIFY_REFERENCE_FAILURE,
                  "nested verification goes deeper than " + MAX_NESTING_DEPTH + " levels",
                  "the referrer " + referrer.digest() + " is nested too deep",
                  "Remove nestedReferences from verifiers whose referrers chain this deep.")
              .result(text);
    } else {
      nested = verifyReferrers(nestedSubject, List.of(store), referrer, depth, step, deadline);
    }
    if (nested.isSuccess() || !parent.isSuccess()) {
      return parent.toBuilder()
          .success(parent.isSuccess() && nested.isSuccess())
          .nestedResults(nested.verifierReports())
          .build();
    }
    VerifierReport cause =
        nested.verifierReports().stream()
            .filter(r -> !r.isSuccess())
            .findFirst()
            .orElse(nested.verifierReports().get(0));
    // Only a deadline is labelled one: a policy that could not be evaluated or an interruption
    // below is a failed nested verification, not a timeout.
    ErrorCode code =
        nested.verifierReports().stream().anyMatch(Executor::containsDeadline)
            ? ErrorCode.DEADLINE_EXCEEDED
            : ErrorCode.VERIFY_REFERENCE_FAILURE;
    // The nested failures say whether a retry can change this one.
    FailureKind kind = nested.failureKind().orElse(FailureKind.DENIED);
    String reason =
        cause.referenceDigest().isEmpty()
            ? cause.message()
            : "nested referrer " + cause.referenceDigest() + ": " + cause.message();
    if (!cause.errorReason().isEmpty()) {
      reason = reason + ": " + cause.errorReason();
    }
    return parent.toBuilder()
        .failure(kind, code, "nested verification failed", reason, cause.remediation())
        .nestedResults(nested.verifierReports())
        .build();
  }

  private static boolean containsDeadline(VerifierReport r) {
    return r.errorCode() == ErrorCode.DEADLINE_EXCEEDED
        || r.nestedResults().stream().anyMatch(Executor::containsDeadline);
  }

  /** Whether a report (or a nested one) was cut short by the deadline or an interruption. */
  static boolean containsTransientStop(VerifierReport r) {
    return r.errorCode() == ErrorCode.DEADLINE_EXCEEDED
        || r.errorCode() == ErrorCode.EXECUTOR_FAILURE
        || r.nestedResults().stream().anyMatch(Executor::containsTransientStop);
  }

  // ------------------------------------------------------------------ listing

  /** A referrer and the store that listed it (the one it is fetched from). */
  record Listed(ReferrerStore store, Descriptor referrer) {}

  /** The outcome of listing a subject's referrers in several stores. */
  sealed interface ListingOutcome permits Listing, ListingFailed {}

  /** The referrers of all stores, deduplicated by digest, in store order then listing order. */
  record Listing(List<Listed> referrers) implements ListingOutcome {}

  record ListingFailed(VerificationResult result) implements ListingOutcome {}

  /**
   * Lists the referrers of {@code descriptor} in every store of {@code from}, one virtual thread
   * per store, within the deadline. The first listing to fail (in completion order) fails the
   * verification and abandons the others.
   */
  private ListingOutcome listReferrers(
      Reference subject, List<ReferrerStore> from, Descriptor descriptor, Deadline deadline) {
    String text = subject.toString();
    int n = from.size();
    BlockingQueue<Integer> finished = new LinkedBlockingQueue<>();
    List<FutureTask<List<Descriptor>>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ReferrerStore store = from.get(i);
      int index = i;
      FutureTask<List<Descriptor>> task =
          new FutureTask<>(() -> store.referrers(subject, descriptor, null, deadline)) {
            @Override
            protected void done() {
              finished.add(index);
            }
          };
      tasks.add(task);
      Thread.ofVirtual().name("signet-list-referrers").start(task);
    }
    List<List<Descriptor>> lists = new ArrayList<>(java.util.Collections.nCopies(n, List.of()));
    try {
      for (int answered = 0; answered < n; answered++) {
        Integer i = finished.poll(waitNanos(deadline), TimeUnit.NANOSECONDS);
        if (i == null) {
          List<String> waiting = new ArrayList<>();
          for (int j = 0; j < n; j++) {
            if (!tasks.get(j).isDone()) {
              waiting.add(storeName(from.get(j)));
            }
          }
          return new ListingFailed(Failure.deadline(Step.LIST_REFERRERS, timeout,
              "the step was abandoned at the deadline; still waiting for "
                  + String.join(", ", waiting)).result(text));
        }
        ReferrerStore store = from.get(i);
        try {
          List<Descriptor> listed = tasks.get(i).get();
          lists.set(i, listed == null ? List.of() : listed);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof DeadlineExceededException d) {
            return new ListingFailed(Failure.deadline(Step.LIST_REFERRERS, timeout,
                storeName(store) + ": " + d.getMessage()).result(text));
          }
          if (cause instanceof StoreException s && s.subjectUnknown()) {
            continue;
          }
          String reason =
              cause instanceof StoreException
                  ? cause.getMessage()
                  : "unexpected error while " + Step.LIST_REFERRERS.doing + ": " + cause;
          return new ListingFailed(
              Failure.of(
                      FailureKind.TRANSIENT,
                      ErrorCode.LIST_REFERRERS_FAILURE,
                      "could not list the referrers (signatures) of the subject in "
                          + storeName(store),
                      reason,
                      "Check that the store is reachable and its credentials allow reading the"
                          + " repository; every configured store must answer.")
                  .result(text));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ListingFailed(Failure.interrupted(
          "verification was interrupted while " + Step.LIST_REFERRERS.doing,
          "the caller stopped waiting").result(text));
    } finally {
      // Whatever is still running is abandoned: its answer can no longer change the result.
      tasks.forEach(t -> t.cancel(true));
    }

    Map<Digest, Listed> unique = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      for (Descriptor d : lists.get(i)) {
        unique.putIfAbsent(d.digest(), new Listed(from.get(i), d));
      }
    }
    return new Listing(List.copyOf(unique.values()));
  }

  /** How reports name a store: its position in the configuration, from 1, and its kind. */
  String storeName(ReferrerStore store) {
    int position = 0;
    for (int i = 0; i < stores.size(); i++) {
      if (stores.get(i) == store) {
        position = i + 1;
        break;
      }
    }
    return (position == 0 ? "store" : "store " + position) + " (" + store.describe() + ")";
  }

  // ------------------------------------------------------------------ waiting

  private static <T> Future<T> fork(String name, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread.ofVirtual().name(name).start(task);
    return task;
  }

  private static long waitNanos(Deadline deadline) {
    // remaining() is capped (a year for Deadline.none), so this cannot overflow.
    return deadline.remaining().toNanos();
  }

  // ------------------------------------------------------------------ reports

  private VerifierReport referrerDeadline(
      Reference subject, ReferenceVerifier v, Descriptor referrer, Step step, String detail) {
    return referrerReport(subject, v, referrer)
        .failure(FailureKind.TRANSIENT, ErrorCode.DEADLINE_EXCEEDED,
            Failure.deadlineMessage(step, timeout), detail, Failure.TIMEOUT_REMEDIATION)
        .extensions(Map.of("step", step.key))
        .build();
  }

  private static VerifierReport referrerFailure(
      Reference subject,
      ReferenceVerifier v,
      Descriptor referrer,
      FailureKind kind,
      ErrorCode code,
      String message,
      String reason,
      String remediation) {
    return referrerReport(subject, v, referrer)
        .failure(kind, code, message, reason, remediation)
        .build();
  }

  private static VerifierReport.Builder referrerReport(
      Reference subject, ReferenceVerifier v, Descriptor referrer) {
    return VerifierReport.about(subject.toString())
        .verifier(v.name(), v.type())
        .referrer(referrer.digest().toString(), referrer.artifactType());
  }
}
