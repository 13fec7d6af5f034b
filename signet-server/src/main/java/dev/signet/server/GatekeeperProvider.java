package dev.signet.server;

// Gatekeeper external data provider as Ratify serves it (ratify-reference.md §3): per-key errors;
// systemError with HTTP 500 when the whole request fails or times out. The messages themselves are
// ProviderMessages.

import dev.signet.deadline.Deadline;
import dev.signet.server.ProviderMessages.Key;
import dev.signet.server.ProviderMessages.ProviderRequest;
import dev.signet.server.ProviderMessages.Reply;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.StrictJson;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.result.ResultJson;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import dev.signet.verify.Parallel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * Answers {@code /ratify/gatekeeper/v1/verify} and {@code /mutate}. Items come back in request
 * order (Ratify returns completion order; Gatekeeper matches by key, so request order is equally
 * valid and easier to read). Distinct images of a request are decided once each, in parallel on
 * virtual threads, within the request's budget; if any is still running when the budget is spent,
 * the whole request is answered with {@code systemError} and HTTP 500, which Ratify's policies
 * turn into a deny.
 */
final class GatekeeperProvider {
  private static final int MAX_PARALLEL_PER_REQUEST = 64;
  private static final int REPORTS_JSON_ENTRIES = 10_000;
  /** How long past the budget the answers of decisions that stopped at it may take to arrive. */
  private static final Duration ANSWER_GRACE = Duration.ofMillis(250);

  private final ObservedDecisions decisions;
  // The resolver, budgets, key limit and clock; the budgets are read for each request (they follow
  // configuration reloads).
  private final ServerSettings settings;
  private final ServerMetrics metrics;
  // Report lists by identity: a cached decision's reports are rendered once, not per answer.
  private final Cache<List<VerifierReport>, RawValue> reportsJson =
      Caffeine.newBuilder().weakKeys().maximumSize(REPORTS_JSON_ENTRIES).executor(Runnable::run).build();

  GatekeeperProvider(ObservedDecisions decisions, ServerSettings settings, ServerMetrics metrics) {
    this.decisions = decisions;
    this.settings = settings;
    this.metrics = metrics;
  }

  Reply verify(byte[] body, String traceId) {
    long start = System.nanoTime();
    // Keys naming the same image share one outcome, so its value is written once.
    Map<Outcome, JsonNode> values = new IdentityHashMap<>();
    try {
      return answer(
          body,
          settings.verifyTimeout().get(),
          false,
          key -> cached(key, traceId),
          key -> decide(key, traceId),
          (item, key, o) -> {
            // Gatekeeper's Item: value and error are omitempty.
            if (o.result() != null) {
              item.set("value", values.computeIfAbsent(o, x -> value(x.result(), traceId)));
            } else {
              item.put("error", o.error());
            }
          });
    } finally {
      metrics.verificationRequest(elapsedMillis(start));
    }
  }

  Reply mutate(byte[] body, String traceId) {
    long start = System.nanoTime();
    try {
      return answer(
          body,
          settings.mutateTimeout().get(),
          true,
          key -> Optional.empty(),
          key -> pin(key.image()),
          (item, key, o) -> {
            if (o.error() == null) {
              item.put("value", o.pinned());
            } else {
              // Ratify: on error the value is the key, and error says why.
              item.put("value", key);
              item.put("error", o.error());
            }
          });
    } finally {
      metrics.mutationRequest(elapsedMillis(start));
    }
  }

  /** Writes one response item from the outcome of its image. */
  private interface ItemWriter {
    void write(ObjectNode item, String key, Outcome outcome);
  }

  /**
   * Parses the request, decides each distinct image once in parallel within {@code timeout}, and
   * answers one item per key in request order.
   */
  private Reply answer(
      byte[] body,
      Duration timeout,
      boolean mutate,
      Function<Key, Optional<Outcome>> atHand,
      Function<Key, Outcome> outcome,
      ItemWriter writer) {
    ProviderRequest request;
    try {
      request = ProviderMessages.parse(body);
    } catch (RejectedRequestException e) {
      return ProviderMessages.error(ProviderMessages.V1BETA1, e.status(), e.getMessage(), mutate);
    }
    if (request.keys().size() > settings.maxKeys()) {
      return ProviderMessages.error(
          request.apiVersion(),
          400,
          "too many keys: the request has "
              + request.keys().size()
              + " and the server answers at most "
              + settings.maxKeys()
              + " per request (serve --max-keys); send fewer images per request",
          mutate);
    }
    // Each distinct image (per namespace for verification: the namespace may change the answer)
    // is decided once. The decisions stop at the budget themselves and say at which step; the
    // grace lets their answers arrive. An image still unanswered after it is answered alone, as
    // timed out.
    List<Key> distinct =
        new ArrayList<>(
            new LinkedHashSet<>(request.keys().stream().map(k -> distinct(k, mutate)).toList()));
    long end = System.nanoTime() + timeout.plus(ANSWER_GRACE).toNanos();
    // Decisions at hand (cached in this process) need neither a thread nor the budget.
    Map<Key, Outcome> done = new LinkedHashMap<>();
    List<Key> pending = new ArrayList<>(distinct.size());
    for (Key k : distinct) {
      atHand.apply(k).ifPresentOrElse(o -> done.put(k, o), () -> pending.add(k));
    }
    boolean anyAnswered = !done.isEmpty();
    List<Parallel.Outcome<Outcome>> outcomes =
        pending.isEmpty() ? List.of() : Parallel.run(pending, outcome, MAX_PARALLEL_PER_REQUEST, end);
    for (int i = 0; i < pending.size(); i++) {
      Outcome o =
          switch (outcomes.get(i)) {
            case Parallel.Done<Outcome> d -> d.value();
            case Parallel.Failed<Outcome> f ->
                new Outcome(null, null, "EXECUTOR_FAILURE: " + f.cause());
            case Parallel.TimedOut<Outcome> t -> null;
          };
      anyAnswered |= o != null;
      done.put(
          pending.get(i),
          o != null
              ? o
              : new Outcome(
                  null,
                  null,
                  "DEADLINE_EXCEEDED: no answer for "
                      + pending.get(i).image()
                      + " within "
                      + ProviderMessages.goDuration(timeout)
                      + (mutate ? " (step \"resolve\")" : " (step \"verify\")")
                      + "; the other images of the request were answered"));
    }
    if (!anyAnswered && !distinct.isEmpty()) {
      return timedOut(request.apiVersion(), timeout, mutate);
    }
    ObjectNode response = ProviderMessages.response(request.apiVersion(), mutate);
    ArrayNode items = response.withObjectProperty("response").putArray("items");
    for (String key : request.keys()) {
      ObjectNode item = items.addObject();
      item.put("key", key);
      writer.write(item, key, done.get(distinct(key, mutate)));
    }
    return ProviderMessages.ok(response);
  }

  /** The decision, pinned image or error for one distinct image. */
  private record Outcome(VerificationResult result, String pinned, String error) {}

  /** The key as decided: mutation does not depend on the namespace. */
  private static Key distinct(String key, boolean mutate) {
    Key parsed = Key.parse(key);
    return mutate ? new Key("", parsed.image()) : parsed;
  }

  /** The cached decision for the key; empty when it must be decided. */
  private Optional<Outcome> cached(Key key, String traceId) {
    try {
      return decisions
          .cached(key.namespace(), key.image(), traceId)
          .map(r -> new Outcome(r, null, null));
    } catch (RuntimeException e) {
      return Optional.empty(); // decided the ordinary way, which reports the failure
    }
  }

  private Outcome decide(Key key, String traceId) {
    try {
      Reference.parse(key.image());
    } catch (IllegalArgumentException e) {
      // Ratify answers a key it cannot parse with the item's error, not with a decision.
      return new Outcome(null, null, "REFERENCE_INVALID: " + e.getMessage());
    }
    try {
      return new Outcome(decisions.verify(key.namespace(), key.image(), traceId), null, null);
    } catch (RuntimeException e) {
      return new Outcome(
          null, null, "EXECUTOR_FAILURE: verification of " + key.image() + " failed: " + e);
    }
  }

  private Outcome pin(String image) {
    Reference ref;
    try {
      ref = Reference.parse(image);
    } catch (IllegalArgumentException e) {
      return new Outcome(null, null, "REFERENCE_INVALID: " + e.getMessage());
    }
    if (ref.digest() != null) {
      // Already pinned: no registry request; the tag, if any, is dropped.
      return new Outcome(null, ref.name() + "@" + ref.digest(), null);
    }
    try {
      Deadline deadline = Deadline.after(settings.clock(), settings.mutateTimeout().get());
      return new Outcome(null, settings.resolver().pin(ref, deadline), null);
    } catch (StoreException | DeadlineExceededException | RuntimeException e) {
      return new Outcome(
          null,
          null,
          "GET_SUBJECT_DESCRIPTOR_FAILURE: failed to resolve the digest of " + image + ": " + e.getMessage());
    }
  }

  private ObjectNode value(VerificationResult result, String traceId) {
    RawValue reports =
        result.verifierReports().isEmpty()
            ? null
            : reportsJson.get(result.verifierReports(), GatekeeperProvider::reportsJson);
    return ProviderMessages.value(result, traceId, settings.clock().instant(), reports);
  }

  /** The reports as JSON, written once per list (cached decisions share theirs). */
  private static RawValue reportsJson(List<VerifierReport> reports) {
    return new RawValue(StrictJson.MAPPER.writeValueAsString(ResultJson.reports(reports)));
  }

  private Reply timedOut(String apiVersion, Duration budget, boolean idempotent) {
    metrics.systemError();
    return ProviderMessages.error(
        apiVersion,
        500,
        "operation failed with error operation timed out after duration " + ProviderMessages.goDuration(budget),
        idempotent);
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
