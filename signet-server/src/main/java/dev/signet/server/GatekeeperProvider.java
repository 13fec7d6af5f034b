package dev.signet.server;

// Gatekeeper external data provider as Ratify serves it (ratify-reference.md §3): ProviderRequest
// in, ProviderResponse out; [namespace]image keys; per-key errors; systemError with HTTP 500 when
// the whole request fails or times out.

import dev.signet.deadline.Deadline;
import dev.signet.verify.Decisions;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.result.ResultJson;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import dev.signet.verify.Parallel;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  static final String V1ALPHA1 = "externaldata.gatekeeper.sh/v1alpha1";
  static final String V1BETA1 = "externaldata.gatekeeper.sh/v1beta1";
  /** Ratify's result format version under config policy. */
  static final String RESULT_VERSION = "0.2.0";

  // Ratify's ParseRequestKey: (\[(.*?)\])?(.*)
  private static final Pattern KEY = Pattern.compile("^(?:\\[(.*?)\\])?(.*)$", Pattern.DOTALL);
  private static final int MAX_PARALLEL_PER_REQUEST = 64;
  private static final int REPORTS_JSON_ENTRIES = 10_000;
  /** How long past the budget the answers of decisions that stopped at it may take to arrive. */
  private static final Duration ANSWER_GRACE = Duration.ofMillis(250);

  /** A reply: HTTP status and JSON body. */
  record Reply(int status, byte[] body) {}

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

  /** The parsed ProviderRequest. */
  record ProviderRequest(String apiVersion, List<String> keys) {}

  /** The image and namespace of one key. */
  record Key(String namespace, String image) {
    static Key parse(String key) {
      Matcher m = KEY.matcher(key);
      if (!m.matches()) {
        return new Key("", key);
      }
      return new Key(m.group(1) == null ? "" : m.group(1), m.group(2));
    }
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
          key -> null,
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
      Function<Key, Outcome> atHand,
      Function<Key, Outcome> outcome,
      ItemWriter writer) {
    ProviderRequest request;
    try {
      request = parse(body);
    } catch (RejectedRequestException e) {
      return error(V1BETA1, e.status(), e.getMessage(), mutate);
    }
    if (request.keys().size() > settings.maxKeys()) {
      return error(
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
      Outcome o = atHand.apply(k);
      if (o != null) {
        done.put(k, o);
      } else {
        pending.add(k);
      }
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
                      + goDuration(timeout)
                      + (mutate ? " (step \"resolve\")" : " (step \"verify\")")
                      + "; the other images of the request were answered"));
    }
    if (!anyAnswered && !distinct.isEmpty()) {
      return timedOut(request.apiVersion(), timeout, mutate);
    }
    ObjectNode response = response(request.apiVersion(), mutate);
    ArrayNode items = response.withObjectProperty("response").putArray("items");
    for (String key : request.keys()) {
      ObjectNode item = items.addObject();
      item.put("key", key);
      writer.write(item, key, done.get(distinct(key, mutate)));
    }
    return ok(response);
  }

  /** The decision, pinned image or error for one distinct image. */
  private record Outcome(VerificationResult result, String pinned, String error) {}

  /** The key as decided: mutation does not depend on the namespace. */
  private static Key distinct(String key, boolean mutate) {
    Key parsed = Key.parse(key);
    return mutate ? new Key("", parsed.image()) : parsed;
  }

  /** The cached decision for the key, or null when it must be decided. */
  private Outcome cached(Key key, String traceId) {
    try {
      VerificationResult r = decisions.cached(key.namespace(), key.image(), traceId);
      return r == null ? null : new Outcome(r, null, null);
    } catch (RuntimeException e) {
      return null; // decided the ordinary way, which reports the failure
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

  /**
   * Ratify's VerificationResponse: {version, isSuccess, traceID, timestamp, verifierReports}, the
   * timestamp as Go prints RFC 3339 with nanoseconds, an empty report list left out.
   */
  private ObjectNode value(VerificationResult result, String traceId) {
    ObjectNode v = StrictJson.MAPPER.createObjectNode();
    v.put("version", RESULT_VERSION);
    v.put("isSuccess", result.isSuccess());
    v.put("traceID", traceId);
    v.put("timestamp", goTime(settings.clock().instant()));
    if (!result.verifierReports().isEmpty()) {
      v.putRawValue("verifierReports", reportsJson.get(result.verifierReports(), GatekeeperProvider::reportsJson));
    }
    return v;
  }

  /** The reports as JSON, written once per list (cached decisions share theirs). */
  private static RawValue reportsJson(List<VerifierReport> reports) {
    return new RawValue(StrictJson.MAPPER.writeValueAsString(ResultJson.reports(reports)));
  }

  /** Go's time.RFC3339Nano in UTC: fraction digits without trailing zeros, none when zero. */
  static String goTime(java.time.Instant t) {
    String seconds = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    int nano = t.getNano();
    if (nano == 0) {
      return seconds;
    }
    String digits = Integer.toString(1_000_000_000 + nano).substring(1); // nine, zero-padded
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return seconds.substring(0, seconds.length() - 1) + "." + digits.substring(0, end) + "Z";
  }


  static ProviderRequest parse(byte[] body) throws RejectedRequestException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(body, body.length, "ProviderRequest");
    } catch (JsonFormatException e) {
      throw new RejectedRequestException(400, "malformed ProviderRequest: " + e.getMessage());
    }
    JsonNode kind = root.get("kind");
    if (kind != null && !(kind.isString() && kind.asString().equals("ProviderRequest"))) {
      throw new RejectedRequestException(
          400, "malformed ProviderRequest: kind must be \"ProviderRequest\", found " + kind);
    }
    String apiVersion = V1BETA1;
    JsonNode version = root.get("apiVersion");
    if (version != null && version.isString()
        && (version.asString().equals(V1ALPHA1) || version.asString().equals(V1BETA1))) {
      apiVersion = version.asString();
    }
    JsonNode request = root.get("request");
    if (request == null || !request.isObject()) {
      throw new RejectedRequestException(400, "malformed ProviderRequest: \"request\" must be an object");
    }
    JsonNode keys = request.get("keys");
    if (keys == null || !keys.isArray()) {
      throw new RejectedRequestException(
          400, "malformed ProviderRequest: \"request.keys\" must be an array of image references");
    }
    List<String> out = new ArrayList<>(keys.size());
    for (JsonNode k : keys) {
      if (!k.isString()) {
        throw new RejectedRequestException(
            400, "malformed ProviderRequest: every entry of \"request.keys\" must be a string, found " + k);
      }
      out.add(k.asString());
    }
    return new ProviderRequest(apiVersion, out);
  }

  private static ObjectNode response(String apiVersion, boolean idempotent) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("apiVersion", apiVersion);
    root.put("kind", "ProviderResponse");
    ObjectNode response = root.putObject("response");
    if (idempotent) {
      response.put("idempotent", true);
    }
    return root;
  }

  /** Gatekeeper's ProviderResponse: items and systemError are omitempty; no error, no key. */
  private static Reply ok(ObjectNode response) {
    ObjectNode r = response.withObjectProperty("response");
    if (r.path("items").isEmpty()) {
      r.remove("items");
    }
    return new Reply(200, StrictJson.MAPPER.writeValueAsBytes(response));
  }

  static Reply error(String apiVersion, int status, String message, boolean idempotent) {
    ObjectNode response = response(apiVersion, idempotent);
    response.withObjectProperty("response").put("systemError", message);
    return new Reply(status, StrictJson.MAPPER.writeValueAsBytes(response));
  }

  private Reply timedOut(String apiVersion, Duration budget, boolean idempotent) {
    metrics.systemError();
    return error(
        apiVersion,
        500,
        "operation failed with error operation timed out after duration " + goDuration(budget),
        idempotent);
  }

  /** Go's Duration.String() for whole milliseconds: 4.9s, 950ms, 2s. */
  static String goDuration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    String s = java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    return s + "s";
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
