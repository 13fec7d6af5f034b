package dev.signet.verify;

// Ratify's verify handler with its result cache (ratify-reference.md §1.7), plus single flight.

import dev.signet.result.VerificationResult;
import dev.signet.cache.ResultCache;
import dev.signet.cache.ResultKey;
import dev.signet.cache.TagCache;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.SingleFlight;
import dev.signet.reference.Reference;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
 *   <li>The executor verifies through a {@link CachingVerifier}: the cache is looked up by
 *       (configuration fingerprint, repository, digest), so changed configuration or certificates
 *       never see an older decision; identical verifications in flight are coalesced (one runs,
 *       the others wait within their own deadline); the result goes to the cache, which keeps it
 *       as its policy says (transient failures not at all).
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
  private final SingleFlight<ResultKey, VerificationResult, RuntimeException> inFlight =
      new SingleFlight<>(RuntimeException.class);

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
    CachingVerifier verifier = cached(configured);
    if (subject.digest() != null) {
      // A digest is used as given: a cached decision for it costs no store request.
      return relabel(verifier.verify(subject, deadline), subjectText);
    }
    return relabel(
        switch (executor.resolver(tags).resolve(subject, deadline)) {
          case ImageResolver.Unresolved u -> u.failure().result(subject.toString());
          case ImageResolver.Resolved r -> verifier.verify(subject, r, deadline);
        },
        subjectText);
  }

  /**
   * The decision for one subject when the caches alone answer it, else empty: a digest (or a tag the
   * first store resolved within the tag cache's lifetime) whose decision this process holds. The
   * answer is the one {@link #decide(String)} would give; nothing is asked of a store or of another
   * process, so the caller need not guard it with a deadline.
   */
  public Optional<VerificationResult> cachedDecision(String subjectText) {
    Reference subject;
    try {
      subject = Reference.parse(subjectText);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try (ConfiguredExecutor configured = executors.get()) {
      Optional<Reference> atDigest =
          subject.digest() != null
              ? Optional.of(subject)
              : configured.executor().resolver(tags).cached(subject)
                  .map(d -> subject.withDigest(d.digest()));
      return atDigest
          .flatMap(cached(configured)::inProcess)
          .map(r -> relabel(r, subjectText));
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

  /** The executor of {@code configured} behind this service's cache. */
  private CachingVerifier cached(ConfiguredExecutor configured) {
    return new CachingVerifier(configured.executor(), configured.fingerprint(), cache, inFlight);
  }

  /** How many distinct verifications are running now (for metrics and tests). */
  public int inFlight() {
    return inFlight.size();
  }

  private static VerificationResult relabel(VerificationResult r, String subjectText) {
    return r.subject().equals(subjectText)
        ? r
        : new VerificationResult(subjectText, r.isSuccess(), r.verifierReports());
  }
}
