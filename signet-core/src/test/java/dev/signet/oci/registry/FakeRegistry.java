package dev.signet.oci.registry;

import com.sun.net.httpserver.HttpExchange;
import dev.signet.reference.Digest;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.testkit.LocalHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-process OCI registry on 127.0.0.1 (a {@link LocalHttpServer}) for tests: what Debian's distribution 2.8.2 lacks (the
 * referrers API with pagination and filtering, token auth with scopes) plus scripted faults (status
 * codes with Retry-After, slow and truncated bodies, redirects, tampered content). Public (with
 * its content methods) for the executor tests and the benchmarks.
 */
public final class FakeRegistry implements AutoCloseable {

  enum AuthMode { NONE, BASIC, TOKEN }

  record Seen(String method, String path, String query, String authorization) {}

  /** A scripted answer for the next request matching {@code when}; used once. */
  record Fault(Predicate<Seen> when, int status, Map<String, String> headers) {}

  private record Stored(byte[] bytes, String mediaType) {}

  private final LocalHttpServer server = new LocalHttpServer();
  private final Map<String, Map<String, Stored>> manifests = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
  final List<Seen> log = Collections.synchronizedList(new ArrayList<>());
  final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
  private final Map<String, Set<String>> issuedTokens = new ConcurrentHashMap<>();
  private final AtomicInteger tokenCounter = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  volatile AuthMode auth = AuthMode.NONE;
  volatile String user = "alice";
  volatile String password = "s3cret-pass";
  volatile String refreshToken = "refresh-abc";
  volatile boolean referrersApi = true;
  volatile int pageSize = 0;
  volatile boolean applyFilter = true;
  /** When set, pagination links are absolute URLs on this base (e.g. another origin). */
  volatile String linkBase;
  /** Blob GETs answer 307 to this base URL (another origin) when set. */
  volatile String redirectBlobsTo;
  /** Bodies of these digests are replaced by other bytes of the same length. */
  final Set<String> tampered = ConcurrentHashMap.newKeySet();
  /** Requests on paths containing this wait before the body. */
  volatile String slowPath;
  volatile long slowMillis;
  /** Requests on paths containing this declare a longer body than they send, then close. */
  volatile String truncatePath;
  volatile long handlerDelayMillis;
  /** HEAD answers carry no Docker-Content-Digest, as some registries and proxies send them. */
  volatile boolean headWithoutDigest;

  public FakeRegistry() {
    server.handle("*", this::handle);
  }

  /** {@code 127.0.0.1:<port>}, the registry part of references. */
  public String host() {
    return server.host();
  }

  public String baseUrl() {
    return server.origin();
  }

  @Override
  public void close() {
    server.close();
  }

  // ------------------------------------------------------------------ content

  public Digest putBlob(byte[] bytes) {
    Digest d = Digest.sha256(bytes);
    blobs.put(d.toString(), bytes);
    return d;
  }

  public Digest putManifest(String repo, String tag, byte[] bytes, String mediaType) {
    Digest d = Digest.sha256(bytes);
    manifests.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(d.toString(), new Stored(bytes, mediaType));
    if (tag != null) {
      tags.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(tag, d.toString());
    }
    return d;
  }

  public long count(String method, String pathPart) {
    synchronized (log) {
      return log.stream().filter(s -> s.method().equals(method) && s.path().contains(pathPart)).count();
    }
  }

  // ------------------------------------------------------------------ HTTP

  private void handle(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      if (handlerDelayMillis > 0) {
        Thread.sleep(handlerDelayMillis);
      }
      route(ex);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      send(ex, 500, "text/plain", ("fake registry bug: " + e).getBytes(StandardCharsets.UTF_8), Map.of());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void route(HttpExchange ex) throws IOException, InterruptedException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    Seen seen = new Seen(method, path, query, ex.getRequestHeaders().getFirst("Authorization"));
    log.add(seen);
    byte[] requestBody = ex.getRequestBody().readAllBytes();

    for (Fault f : faults) {
      if (f.when().test(seen) && faults.remove(f)) {
        send(ex, f.status(), "application/json",
            "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}".getBytes(StandardCharsets.UTF_8),
            f.headers());
        return;
      }
    }
    if (path.equals("/token")) {
      token(ex, method, query, requestBody);
      return;
    }
    if (!path.startsWith("/v2/")) {
      send(ex, 404, "text/plain", "404 page not found".getBytes(StandardCharsets.UTF_8), Map.of());
      return;
    }
    String rest = path.substring(4);
    String repo = null;
    String kind = null;
    String ref = null;
    for (String k : List.of("/manifests/", "/blobs/uploads/", "/blobs/", "/referrers/")) {
      int i = rest.lastIndexOf(k);
      if (i > 0) {
        repo = rest.substring(0, i);
        kind = k;
        ref = rest.substring(i + k.length());
        break;
      }
    }
    boolean push = method.equals("PUT") || method.equals("POST");
    if (!authorized(ex, repo, push)) {
      return;
    }
    if (rest.isEmpty()) {
      send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
      return;
    }
    if (kind == null) {
      send(ex, 404, "text/plain", "404 page not found".getBytes(StandardCharsets.UTF_8), Map.of());
      return;
    }
    switch (kind) {
      case "/manifests/" -> manifest(ex, method, repo, ref, requestBody);
      case "/blobs/" -> blob(ex, method, ref);
      case "/blobs/uploads/" -> upload(ex, method, repo, ref, query, requestBody);
      default -> referrers(ex, repo, ref, query);
    }
  }

  private boolean authorized(HttpExchange ex, String repo, boolean push) throws IOException {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    switch (auth) {
      case NONE:
        return true;
      case BASIC: {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (expected.equals(header)) {
          return true;
        }
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake-realm\"");
        send(ex, 401, "application/json",
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8),
            Map.of());
        return false;
      }
      default: {
        String needed = repo == null ? null : "repository:" + repo + ":" + (push ? "push" : "pull");
        if (header != null && header.startsWith("Bearer ")) {
          Set<String> granted = issuedTokens.get(header.substring(7));
          if (granted != null && (needed == null || granted.contains(needed))) {
            return true;
          }
        }
        String scope = repo == null ? "" : ",scope=\"repository:" + repo + ":" + (push ? "pull,push" : "pull") + "\"";
        // Parameters deliberately not in the "usual" order, with a comma inside a quoted value.
        ex.getResponseHeaders().add("WWW-Authenticate",
            "Bearer service=\"fake, registry\"" + scope + ",realm=\"" + baseUrl() + "/token\"");
        send(ex, 401, "application/json",
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token required\"}]}".getBytes(StandardCharsets.UTF_8),
            Map.of());
        return false;
      }
    }
  }

  private void token(HttpExchange ex, String method, String query, byte[] body) throws IOException {
    Map<String, List<String>> params;
    if (method.equals("POST")) {
      params = form(new String(body, StandardCharsets.UTF_8));
      if (!List.of("refresh_token").equals(params.get("grant_type"))
          || !List.of(refreshToken).equals(params.get("refresh_token"))) {
        send(ex, 401, "application/json", "{\"error\":\"invalid_grant\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        return;
      }
    } else {
      params = form(query == null ? "" : query);
      String expected = "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        send(ex, 401, "application/json", "{\"details\":\"bad credentials\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        return;
      }
    }
    if (!List.of("fake, registry").equals(params.get("service"))) {
      send(ex, 400, "application/json", "{\"details\":\"wrong service\"}".getBytes(StandardCharsets.UTF_8), Map.of());
      return;
    }
    Set<String> granted = ConcurrentHashMap.newKeySet();
    for (String s : params.getOrDefault("scope", List.of())) {
      // repository:name:pull,push -> one grant per action
      int last = s.lastIndexOf(':');
      for (String action : s.substring(last + 1).split(",")) {
        granted.add(s.substring(0, last) + ":" + action);
      }
    }
    String tok = "tok-" + tokenCounter.incrementAndGet();
    issuedTokens.put(tok, granted);
    String json = method.equals("POST")
        ? "{\"access_token\":\"" + tok + "\",\"expires_in\":300}"
        : "{\"token\":\"" + tok + "\",\"expires_in\":300}";
    send(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** How many requests the registry has answered (every method and path). */
  public int requests() {
    return log.size();
  }

  int tokensIssued() {
    return tokenCounter.get();
  }

  private static Map<String, List<String>> form(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private void manifest(HttpExchange ex, String method, String repo, String ref, byte[] body)
      throws IOException, InterruptedException {
    if (method.equals("PUT")) {
      String mt = ex.getRequestHeaders().getFirst("Content-Type");
      Digest d = putManifest(repo, ref.startsWith("sha256:") ? null : ref, body, mt);
      send(ex, 201, null, new byte[0], Map.of("Docker-Content-Digest", d.toString()));
      return;
    }
    Map<String, Stored> repoManifests = manifests.get(repo);
    if (repoManifests == null) {
      error(ex, 404, "NAME_UNKNOWN", "repository name not known to registry");
      return;
    }
    String digest = ref.contains(":") ? ref : tags.getOrDefault(repo, Map.of()).get(ref);
    Stored s = digest == null ? null : repoManifests.get(digest);
    if (s == null) {
      error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
      return;
    }
    String accept = String.join(",", ex.getRequestHeaders().getOrDefault("Accept", List.of()));
    if (!accept.contains(s.mediaType())) {
      error(ex, 404, "MANIFEST_UNKNOWN", "OCI index found, but accept header does not support OCI indexes");
      return;
    }
    byte[] bytes = tampered.contains(digest) ? flip(s.bytes()) : s.bytes();
    Map<String, String> headers = Map.of("Docker-Content-Digest", digest);
    content(ex, method, ex.getRequestURI().getRawPath(), s.mediaType(), bytes, headers);
  }

  private void blob(HttpExchange ex, String method, String digest) throws IOException, InterruptedException {
    byte[] b = blobs.get(digest);
    if (b == null) {
      error(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
      return;
    }
    if (redirectBlobsTo != null && method.equals("GET")) {
      send(ex, 307, null, new byte[0], Map.of("Location", redirectBlobsTo + "/cdn/" + digest + "?sig=abc"));
      return;
    }
    byte[] bytes = tampered.contains(digest) ? flip(b) : b;
    content(ex, method, ex.getRequestURI().getRawPath(), "application/octet-stream", bytes,
        Map.of("Docker-Content-Digest", digest));
  }

  /** Serves a CDN-style path {@code /cdn/<digest>} (the redirect target when this is the CDN). */
  void serveCdn() {
    server.handle("/cdn", ex -> {
      log.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
          ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Authorization")));
      String digest = ex.getRequestURI().getRawPath().substring(5);
      byte[] b = blobs.get(digest);
      if (b == null) {
        send(ex, 404, "text/plain", new byte[0], Map.of());
      } else {
        send(ex, 200, "application/octet-stream", b, Map.of());
      }
    });
  }

  private void upload(HttpExchange ex, String method, String repo, String ref, String query, byte[] body)
      throws IOException {
    if (method.equals("POST")) {
      String id = UUID.randomUUID().toString();
      uploads.put(id, new byte[0]);
      send(ex, 202, null, new byte[0],
          Map.of("Location", "/v2/" + repo + "/blobs/uploads/" + id + "?_state=x"));
      return;
    }
    Map<String, List<String>> q = form(query == null ? "" : query);
    String digest = q.getOrDefault("digest", List.of("")).get(0);
    if (!uploads.containsKey(ref) || !Digest.parse(digest).matches(body)) {
      error(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
      return;
    }
    uploads.remove(ref);
    blobs.put(digest, body);
    send(ex, 201, null, new byte[0], Map.of("Docker-Content-Digest", digest));
  }

  private void referrers(HttpExchange ex, String repo, String digest, String query) throws IOException {
    if (!referrersApi) {
      send(ex, 404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8), Map.of());
      return;
    }
    if (!manifests.containsKey(repo)) {
      error(ex, 404, "NAME_UNKNOWN", "repository name not known to registry");
      return;
    }
    Map<String, List<String>> q = form(query == null ? "" : query);
    String artifactType = q.containsKey("artifactType") ? q.get("artifactType").get(0) : null;
    int last = q.containsKey("last") ? Integer.parseInt(q.get("last").get(0)) : 0;
    List<String> entries = new ArrayList<>();
    List<Map.Entry<String, Stored>> sorted = new ArrayList<>(manifests.get(repo).entrySet());
    sorted.sort(Map.Entry.comparingByKey());
    for (Map.Entry<String, Stored> e : sorted) {
      Manifest m;
      try {
        m = Manifest.parse(e.getValue().bytes(), e.getValue().mediaType());
      } catch (ManifestFormatException notAManifest) {
        continue;
      }
      if (m.subject() == null || !m.subject().digest().toString().equals(digest)) {
        continue;
      }
      String type = m.effectiveArtifactType();
      if (artifactType != null && applyFilter && !artifactType.equals(type)) {
        continue;
      }
      entries.add("{\"mediaType\":\"" + e.getValue().mediaType() + "\",\"digest\":\"" + e.getKey()
          + "\",\"size\":" + e.getValue().bytes().length
          + (type == null ? "" : ",\"artifactType\":\"" + type + "\"") + "}");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (artifactType != null && applyFilter) {
      headers.put("OCI-Filters-Applied", "artifactType");
    }
    List<String> page = entries;
    if (pageSize > 0) {
      int end = Math.min(entries.size(), last + pageSize);
      page = entries.subList(Math.min(last, entries.size()), end);
      if (end < entries.size()) {
        String next = "/v2/" + repo + "/referrers/" + digest + "?last=" + end
            + (artifactType == null ? "" : "&artifactType=" + java.net.URLEncoder.encode(artifactType, StandardCharsets.UTF_8));
        headers.put("Link", "<" + (linkBase == null ? "" : linkBase) + next + ">; rel=\"next\"");
      }
    }
    String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
        + String.join(",", page) + "]}";
    send(ex, 200, MediaTypes.OCI_INDEX, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private void content(HttpExchange ex, String method, String path, String type, byte[] bytes,
      Map<String, String> headers) throws IOException, InterruptedException {
    if (truncatePath != null && path.contains(truncatePath) && method.equals("GET")) {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(200, bytes.length);
      OutputStream out = ex.getResponseBody();
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
      // Closing the exchange now ends the connection with half of the declared body.
      throw new IOException("truncated on purpose");
    }
    if (slowPath != null && path.contains(slowPath) && method.equals("GET")) {
      ex.getResponseHeaders().set("Content-Type", type);
      headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.sendResponseHeaders(200, bytes.length);
      OutputStream out = ex.getResponseBody();
      out.write(bytes, 0, 1);
      out.flush();
      Thread.sleep(slowMillis);
      out.write(bytes, 1, bytes.length - 1);
      out.close();
      return;
    }
    if (method.equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Type", type);
      headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      if (headWithoutDigest) {
        ex.getResponseHeaders().remove("Docker-Content-Digest");
      }
      ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    send(ex, 200, type, bytes, headers);
  }

  private static byte[] flip(byte[] bytes) {
    byte[] copy = bytes.clone();
    if (copy.length > 0) {
      copy[copy.length - 1] ^= 0x01;
    }
    return copy;
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    send(ex, status, "application/json",
        ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}").getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, Map<String, String> headers)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
