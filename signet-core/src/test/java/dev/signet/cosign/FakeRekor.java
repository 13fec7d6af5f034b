package dev.signet.cosign;

import com.sun.net.httpserver.HttpExchange;
import dev.signet.json.StrictJson;
import dev.signet.testkit.LocalHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Rekor-shaped log on 127.0.0.1 (a {@link LocalHttpServer}) for tests (no Rekor can run here): it accepts {@code POST
 * /api/v1/log/entries} with a proposed hashedrekord or dsse entry, canonicalizes it as Rekor does
 * (a dsse proposal becomes envelope and payload hashes plus signatures and verifiers), and answers
 * with the entry, a signed entry timestamp and an inclusion proof with a signed checkpoint, all
 * from the test instance's log key. Logged entries can be searched ({@code POST
 * /api/v1/index/retrieve}) and fetched ({@code GET /api/v1/log/entries/<uuid>}) as in Rekor. It also answers {@code POST /api/v1/timestamp} as Sigstore's
 * timestamp authority, with tokens from the test authority at {@link #timestampTime}.
 */
final class FakeRekor implements AutoCloseable {
  private final LocalHttpServer server = new LocalHttpServer();
  private final SigstoreFixture sigstore;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger timestamps = new AtomicInteger();
  final AtomicInteger searches = new AtomicInteger();
  private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
  private final Map<String, List<String>> index = new ConcurrentHashMap<>();
  /** The time the timestamp authority puts in its tokens. */
  volatile Instant timestampTime = Instant.now();

  FakeRekor(SigstoreFixture sigstore) {
    this.sigstore = sigstore;
    // Every path is under /api: one route, told apart by the rest of the path.
    server.handle("/api", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/api/v1/index/retrieve")) {
        search(exchange);
      } else if (path.startsWith("/api/v1/log/entries")) {
        entry(exchange);
      } else if (path.startsWith("/api/v1/timestamp")) {
        timestamp(exchange);
      } else {
        answer(exchange, 404, "{}".getBytes(StandardCharsets.UTF_8));
      }
    });
  }

  private void search(HttpExchange exchange) throws IOException {
    searches.incrementAndGet();
    byte[] response;
    try {
      String hash = StrictJson.parseObject(exchange.getRequestBody().readAllBytes(), 1 << 16,
          "search").path("hash").asString("");
      response = StrictJson.MAPPER.writeValueAsBytes(index.getOrDefault(hash, List.of()));
    } catch (Exception ex) {
      response = "[]".getBytes(StandardCharsets.UTF_8);
    }
    answer(exchange, 200, response);
  }

  private void entry(HttpExchange exchange) throws IOException {
    if (exchange.getRequestMethod().equals("GET")) {
      String path = exchange.getRequestURI().getPath();
      byte[] entry = entries.get(path.substring(path.lastIndexOf('/') + 1));
      answer(exchange, entry == null ? 404 : 200,
          entry == null ? "{}".getBytes(StandardCharsets.UTF_8) : entry);
      return;
    }
    requests.incrementAndGet();
    byte[] request = exchange.getRequestBody().readAllBytes();
    byte[] response;
    int status = 201;
    try {
      byte[] body = canonical(StrictJson.parseObject(request, 1 << 20, "proposed entry"));
      TlogEntry e = sigstore.provenEntry(body, Instant.now(), 2, 5);
      response = ("{\"" + SigstoreFixture.sha256Hex(body) + "\":{"
          + "\"body\":\"" + Base64.getEncoder().encodeToString(body) + "\","
          + "\"integratedTime\":" + e.integratedTime() + ",\"logID\":\"" + e.logId() + "\","
          + "\"logIndex\":" + e.logIndex() + ",\"verification\":{\"signedEntryTimestamp\":\""
          + Base64.getEncoder().encodeToString(e.signedEntryTimestamp()) + "\","
          + "\"inclusionProof\":{\"logIndex\":" + e.proof().logIndex() + ",\"treeSize\":"
          + e.proof().treeSize() + ",\"rootHash\":\""
          + HexFormat.of().formatHex(e.proof().rootHash()) + "\",\"hashes\":["
          + String.join(",", e.proof().hashes().stream()
              .map(h -> "\"" + HexFormat.of().formatHex(h) + "\"").toList())
          + "],\"checkpoint\":" + StrictJson.MAPPER.writeValueAsString(e.proof().checkpoint())
          + "}}}}").getBytes(StandardCharsets.UTF_8);
      String uuid = SigstoreFixture.sha256Hex(body);
      entries.put(uuid, response);
      index.computeIfAbsent("sha256:" + indexedHash(body), h -> new ArrayList<>()).add(uuid);
    } catch (Exception ex) {
      status = 400;
      response = ("{\"message\":\"" + ex.getMessage() + "\"}").getBytes(StandardCharsets.UTF_8);
    }
    answer(exchange, status, response);
  }

  /**
   * Sigstore's timestamp authority API: JSON {artifactHash (base64 SHA-256), hashAlgorithm},
   * answered with the DER token.
   */
  private void timestamp(HttpExchange exchange) throws IOException {
    timestamps.incrementAndGet();
    byte[] response;
    int status = 201;
    try {
      JsonNode request = StrictJson.parseObject(exchange.getRequestBody().readAllBytes(),
          1 << 16, "timestamp request");
      response = sigstore.timestamp(
          Base64.getDecoder().decode(request.path("artifactHash").asString("")), timestampTime);
    } catch (Exception ex) {
      status = 400;
      response = ex.toString().getBytes(StandardCharsets.UTF_8);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
    exchange.sendResponseHeaders(status, response.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response);
    }
  }

  private static void answer(HttpExchange exchange, int status, byte[] response)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, response.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response);
    }
  }

  /** The artifact hash Rekor indexes an entry under: the data hash, or the DSSE payload hash. */
  private static String indexedHash(byte[] body) throws Exception {
    JsonNode spec = StrictJson.parseObject(body, 1 << 20, "entry").path("spec");
    return spec.has("payloadHash") ? spec.path("payloadHash").path("value").asString()
        : spec.path("data").path("hash").path("value").asString();
  }

  String url() {
    return server.origin();
  }

  /** Rekor's canonical body for a proposal. */
  private static byte[] canonical(JsonNode proposed) throws Exception {
    String kind = proposed.path("kind").asString("");
    if (kind.equals("hashedrekord")) {
      return StrictJson.MAPPER.writeValueAsBytes(proposed);
    }
    if (!kind.equals("dsse")) {
      throw new IllegalArgumentException("unsupported kind " + kind);
    }
    JsonNode content = proposed.path("spec").path("proposedContent");
    String envelopeJson = content.path("envelope").asString();
    JsonNode envelope = StrictJson.parseObject(envelopeJson.getBytes(StandardCharsets.UTF_8),
        1 << 20, "envelope");
    byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asString());
    ObjectNode spec = StrictJson.MAPPER.createObjectNode();
    spec.putObject("envelopeHash").put("algorithm", "sha256")
        .put("value", SigstoreFixture.sha256Hex(envelopeJson.getBytes(StandardCharsets.UTF_8)));
    spec.putObject("payloadHash").put("algorithm", "sha256")
        .put("value", SigstoreFixture.sha256Hex(payload));
    var sigs = spec.putArray("signatures");
    sigs.addObject().put("signature", envelope.path("signatures").get(0).path("sig").asString())
        .put("verifier", content.path("verifiers").get(0).asString());
    ObjectNode out = StrictJson.MAPPER.createObjectNode();
    out.put("apiVersion", "0.0.1").put("kind", "dsse").set("spec", spec);
    return StrictJson.MAPPER.writeValueAsBytes(out);
  }

  @Override
  public void close() {
    server.close();
  }
}
