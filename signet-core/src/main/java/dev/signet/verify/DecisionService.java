package dev.signet.verify;

// Ratify's verify handler with its result cache (ratify-reference.md §1.7), plus single flight.

import dev.signet.result.ErrorCode;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import dev.signet.cache.ResultCache;
import dev.signet.cache.ResultKey;
import dev.signet.cache.TagCache;
import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Reference;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The decision for a subject, as an admission controller asks for it: cached, coalesced, and made
 * with the current configuration.
 *
 * <ol>
 *   <li>The current {@link ConfiguredExecutor} is taken once per decision.
 *   <li>A tag is resolved to its digest (tags move), or taken from the {@link TagCache} when a
 *       store resolved it within the cache's short lifetime; a digest is used as given, so a
 *       cached decision for a digest costs no registry request.
 *   <li>The cache is looked up by (configuration fingerprint, repository, digest): changed
 *       configuration or certificates never see an older decision.
 *   <li>Identical verifications in flight (same key) are coalesced: one runs, the others wait for
 *       its result within their own deadline.
 *   <li>The result goes to the cache, which keeps it as its policy says (transient failures not at
 *       all).
 * </ol>
 *
 * <p>The result's {@code subject} is the text the caller gave; the reports name the digest reference
 * that was verified.
 */
public final class DecisionService {
  private final Supplier<ConfiguredExecutor> executors;
  private final ResultCache cache;
  private final TagCache tags;
  private final Clock clock;
  private final ConcurrentHashMap<ResultKey, CompletableFuture<VerificationResult>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * @param executors the current executor and its fingerprint; read once per decision
   * @param cache where decisions are kept
   * @param clock the time source of deadlines
   */
  public DecisionService(
      Supplier<ConfiguredExecutor> executors, ResultCache cache, Clock clock) {
    this(executors, cache, TagCache.off(), clock);
  }

  /**
   * @param executors the current executor and its fingerprint; read once per decision
   * @param cache where decisions are kept
   * @param tags where tag resolutions are kept for a short time (shared with the mutation provider,
   *     so that a mutation pins the digest that was verified)
   * @param clock the time source of deadlines
   */
  public DecisionService(
      Supplier<ConfiguredExecutor> executors, ResultCache cache, TagCache tags, Clock clock) {
    this.executors = executors;
    this.cache = cache;
    this.tags = tags;
    this.clock = clock;
  }

  /** The decision for one subject, within the executor's timeout. */
  public VerificationResult decide(String subjectText) {
    try (ConfiguredExecutor configured = executors.get()) {
      return decide(subjectText, configured);
    }
  }

  /**
   * The decision for one subject by a given executor (one of several configurations that share this
   * cache, such as one per Kubernetes namespace; their generations must differ).
   */
  public VerificationResult decide(String subjectText, ConfiguredExecutor configured) {
    Reference subject;
    try {
      subject = Reference.parse(subjectText);
    } catch (IllegalArgumentException e) {
      return Failure.invalidReference(e).result(subjectText);
    }
    Executor executor = configured.executor();
    Deadline deadline = Deadline.after(clock, executor.timeout());

    ImageResolver.Resolved resolved = null;
    Reference atDigest = subject;
    if (subject.digest() == null) {
      switch (executor.resolver(tags).resolve(subject, deadline)) {
        case ImageResolver.Unresolved u -> {
          return relabel(u.failure().result(subject.toString()), subjectText);
        }
        case ImageResolver.Resolved r -> {
          resolved = r;
          atDigest = subject.withDigest(r.descriptor().digest());
        }
      }
    }
    ResultKey key =
        new ResultKey(configured.fingerprint(), atDigest.qualifiedName(), atDigest.digest());

    while (true) {
      Optional<VerificationResult> hit = cache.get(key);
      if (hit.isPresent()) {
        return relabel(hit.get(), subjectText);
      }
      CompletableFuture<VerificationResult> mine = new CompletableFuture<>();
      CompletableFuture<VerificationResult> running = inFlight.putIfAbsent(key, mine);
      if (running != null) {
        VerificationResult joined = await(running, deadline, subjectText);
        if (joined != null) {
          return relabel(joined, subjectText);
        }
        // The leader's caller stopped waiting: its result says so, which is not this caller's
        // answer. Lead (or join) a new verification within this caller's own deadline.
        continue;
      }
      try {
        // The cache is asked again now that this decision leads: another may have finished.
        Reference verified = atDigest;
        ImageResolver.Resolved descriptor = resolved;
        VerificationResult result =
            cache.getOrVerify(
                key,
                deadline,
                () -> {
                  VerificationResult r =
                      descriptor != null
                          ? executor.verify(verified, descriptor, deadline)
                          : executor.verify(verified, deadline);
                  if (Thread.currentThread().isInterrupted()) {
                    // Cut short because this caller stopped waiting: not remembered, and the
                    // callers still waiting verify again.
                    throw new LeaderStopped(r);
                  }
                  return r;
                });
        mine.complete(result);
        return relabel(result, subjectText);
      } catch (LeaderStopped stopped) {
        mine.completeExceptionally(stopped);
        return relabel(stopped.result, subjectText);
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
        throw e;
      } finally {
        inFlight.remove(key, mine);
      }
    }
  }

  /** Completes a verification whose leading caller was interrupted, so that those joined retry. */
  private static final class LeaderStopped extends RuntimeException {
    private final transient VerificationResult result;

    LeaderStopped(VerificationResult result) {
      super("the leading caller stopped waiting", null, false, false);
      this.result = result;
    }
  }

  /**
   * The decision for one subject when the caches alone answer it, else null: a digest (or a tag the
   * first store resolved within the tag cache's lifetime) whose decision this process holds. The
   * answer is the one {@link #decide(String)} would give; nothing is asked of a store or of another
   * process, so the caller need not guard it with a deadline.
   */
  public VerificationResult cachedDecision(String subjectText) {
    Reference subject;
    try {
      subject = Reference.parse(subjectText);
    } catch (IllegalArgumentException e) {
      return null;
    }
    try (ConfiguredExecutor configured = executors.get()) {
      Reference atDigest = subject;
      if (subject.digest() == null) {
        Optional<Descriptor> resolved = configured.executor().resolver(tags).cached(subject);
        if (resolved.isEmpty()) {
          return null;
        }
        atDigest = subject.withDigest(resolved.get().digest());
      }
      ResultKey key =
          new ResultKey(configured.fingerprint(), atDigest.qualifiedName(), atDigest.digest());
      return cache.getInProcess(key).map(r -> relabel(r, subjectText)).orElse(null);
    }
  }

  /** Decisions for several subjects, made in parallel; results in the order of {@code subjects}. */
  public List<VerificationResult> decideAll(List<String> subjects) {
    // One generation for the whole batch, held until every subject is decided.
    try (ConfiguredExecutor configured = executors.get()) {
      return Executor.inParallel(
          subjects, s -> decide(s, configured), configured.executor().timeout());
    }
  }

  /** How many distinct verifications are running now (for metrics and tests). */
  public int inFlight() {
    return inFlight.size();
  }

  /** The result of the verification joined, or null when its leader stopped and it must be redone. */
  private static VerificationResult await(
      CompletableFuture<VerificationResult> running, Deadline deadline, String subjectText) {
    try {
      return running.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new Failure(
              Failure.Kind.TRANSIENT,
              ErrorCode.DEADLINE_EXCEEDED,
              "verification did not finish in time: the deadline passed while waiting for an"
                  + " identical verification in flight",
              "the verification this request joined had not answered by the deadline",
              Failure.TIMEOUT_REMEDIATION,
              Map.of("step", Step.VERIFY.key))
          .result(subjectText);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Failure.interrupted("verification was interrupted", "the caller stopped waiting")
          .result(subjectText);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LeaderStopped) {
        return null;
      }
      return Failure.unexpected(e.getCause()).result(subjectText);
    }
  }

  private static VerificationResult relabel(VerificationResult r, String subjectText) {
    return r.subject().equals(subjectText)
        ? r
        : new VerificationResult(subjectText, r.isSuccess(), r.verifierReports());
  }
}
