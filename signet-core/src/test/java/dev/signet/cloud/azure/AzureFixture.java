package dev.signet.cloud.azure;

// Local HTTPS stand-ins for the Microsoft endpoints, implemented from their public
// documentation: the identity platform token endpoint (client credentials with a jwt-bearer
// client assertion; AADSTS error codes), the instance metadata identity endpoint, ACR's
// /oauth2/exchange and /oauth2/token (the latter in front of a real distribution registry with
// token auth: the JWTs it issues carry an x5c header the registry checks against its root
// bundle), and Key Vault's secrets and keys GETs with its 401 challenge and error bodies.
// A mock only where no real service can run here: the federated token's signature is not
// checked (there is no cluster OIDC issuer); issuer, subject, audience and expiry are.

import com.sun.net.httpserver.HttpExchange;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.TestTls;
import dev.signet.json.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/** Entra ID, IMDS, ACR token services and a Key Vault on 127.0.0.1 over HTTPS. */
public final class AzureFixture implements AutoCloseable {
  public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  public static final String OTHER_TENANT = "0a0a0a0a-1111-2222-3333-444444444444";
  public static final String ISSUER = "https://oidc.cluster.example/abc/";
  public static final String REGISTRY_TOKEN_ISSUER = "signet-test-acr";
  public static final String PUSHER = "pusher";
  public static final String PUSHER_PASSWORD = "pusher-password";
  public static final String ACR_PULL = "AcrPull";
  public static final String SECRETS_USER = "Key Vault Secrets User";
  public static final String CRYPTO_USER = "Key Vault Crypto User";
  private static final String NULL_USER = "00000000-0000-0000-0000-000000000000";

  /** A workload identity: the client id, the federated credential it accepts, its roles. */
  public record Identity(String clientId, String subject, Set<String> roles) {}

  /** One stored version of a secret or key. */
  public record Version(String version, String contentType, String value, boolean enabled) {}

  private record Issued(String clientId, String scope, Instant expires) {}

  private record Fault(String pathPrefix, int status, String retryAfter) {}

  private final SSLContext serverSsl;
  private final SSLContext clientSsl;
  private final Path caFile;
  private final KeyPair signingKey;
  private final X509Certificate signingCert;
  private final Path signingCertFile;
  private final LocalHttpServer server;
  // The instance metadata endpoint is plain HTTP on a link-local address.
  private final LocalHttpServer imdsServer;
  private volatile LocalHttpServer vault;
  private final int vaultPort;

  private final Map<String, Identity> identities = new ConcurrentHashMap<>();
  private volatile boolean echoAssertions;
  private final Map<String, Issued> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
  private final Map<String, List<Version>> keys = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
  private final List<String> requestLog = new CopyOnWriteArrayList<>();
  private volatile Duration tokenLifetime = Duration.ofHours(1);

  public AzureFixture(Path dir) throws Exception {
    TestTls.Loopback tls = TestTls.loopback(dir, "Signet test Azure");
    serverSsl = tls.server();
    clientSsl = tls.client();
    caFile = tls.caFile();

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    signingKey = rsa.generateKeyPair();
    signingCert = TestTls.selfSigned(signingKey, "CN=Signet test ACR token signer", "SHA256withRSA", false);
    signingCertFile = dir.resolve("registry-token-signer.pem");
    Files.writeString(signingCertFile, pem("CERTIFICATE", signingCert.getEncoded()));

    server = new LocalHttpServer(serverSsl, 0);
    server.handle("*", this::handleIdentityAndAcr);
    imdsServer = new LocalHttpServer();
    imdsServer.handle("*", this::handleIdentityAndAcr);
    vault = startVault(0);
    vaultPort = vault.port();
  }

  private LocalHttpServer startVault(int port) {
    LocalHttpServer s = new LocalHttpServer(serverSsl, port);
    s.handle("*", this::handleVault);
    return s;
  }

  // ---------------------------------------------------------------- configuration

  public SSLContext clientSsl() {
    return clientSsl;
  }

  public Path caFile() {
    return caFile;
  }

  public Path registryTokenSigner() {
    return signingCertFile;
  }

  public String url() {
    return server.origin();
  }

  public String authorityHost() {
    return url() + "/";
  }

  public URI imds() {
    return URI.create(imdsServer.url("/metadata/identity/oauth2/token"));
  }

  public String realm() {
    return url() + "/oauth2/token";
  }

  public String vaultUri() {
    return "https://127.0.0.1:" + vaultPort + "/";
  }

  public void identity(String clientId, String subject, String... roles) {
    identities.put(clientId, new Identity(clientId, subject, Set.of(roles)));
  }

  /** The next request whose path starts with {@code pathPrefix} gets this status. */
  public void fail(String pathPrefix, int status, String retryAfter) {
    faults.add(new Fault(pathPrefix, status, retryAfter));
  }

  /**
   * From now on the token endpoint refuses every request and echoes the client assertion it got
   * in the error description, as a misbehaving proxy or a debugging build might.
   */
  public void echoAssertionsInErrors() {
    echoAssertions = true;
  }

  public void tokenLifetime(Duration lifetime) {
    tokenLifetime = lifetime;
  }

  /** Adds a version of a secret and makes it the latest; returns its version id. */
  public String putSecret(String name, String contentType, String value) {
    String version = UUID.randomUUID().toString().replace("-", "");
    secrets.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
        .add(new Version(version, contentType, value, true));
    return version;
  }

  public void disable(String name, String version) {
    List<Version> versions = secrets.get(name);
    versions.replaceAll(v -> v.version().equals(version)
        ? new Version(v.version(), v.contentType(), v.value(), false) : v);
  }

  public void deleteSecret(String name) {
    secrets.remove(name);
  }

  public String putKey(String name, String jwkJson) {
    String version = UUID.randomUUID().toString().replace("-", "");
    keys.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
        .add(new Version(version, null, jwkJson, true));
    return version;
  }

  /** Disables a version of a key; the vault then answers 403 KeyDisabled for it. */
  public void disableKey(String name, String version) {
    keys.get(name).replaceAll(v -> v.version().equals(version)
        ? new Version(v.version(), v.contentType(), v.value(), false) : v);
  }

  public void deleteKey(String name) {
    keys.remove(name);
  }

  /**
   * A public key as Key Vault returns it in {@code key} (RFC 7517 JWK with {@code key_ops}; the
   * placeholder {@code KID} becomes the version's id): EC with {@code crv}, {@code x}, {@code y}
   * padded to the field size, or RSA with {@code n}, {@code e}.
   */
  public static String jwk(PublicKey key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    if (key instanceof ECPublicKey ec) {
      int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
      String crv = switch (size) {
        case 32 -> "P-256";
        case 48 -> "P-384";
        case 66 -> "P-521";
        default -> throw new IllegalArgumentException("curve of " + size + " bytes");
      };
      return "{\"kid\":\"KID\",\"kty\":\"EC\",\"key_ops\":[\"sign\",\"verify\"],\"crv\":\""
          + crv + "\",\"x\":\"" + b64.encodeToString(unsigned(ec.getW().getAffineX(), size))
          + "\",\"y\":\"" + b64.encodeToString(unsigned(ec.getW().getAffineY(), size)) + "\"}";
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    return "{\"kid\":\"KID\",\"kty\":\"RSA\",\"key_ops\":[\"sign\",\"verify\"],\"n\":\""
        + b64.encodeToString(unsigned(rsa.getModulus(), (rsa.getModulus().bitLength() + 7) / 8))
        + "\",\"e\":\"" + b64.encodeToString(rsa.getPublicExponent().toByteArray()) + "\"}";
  }

  private static byte[] unsigned(BigInteger value, int size) {
    byte[] big = value.toByteArray();
    byte[] out = new byte[size];
    int n = Math.min(size, big.length);
    System.arraycopy(big, big.length - n, out, size - n, n);
    return out;
  }

  public void stopVault() {
    vault.close();
  }

  public void startVault() {
    vault = startVault(vaultPort);
  }

  /** How many requests reached paths starting with {@code prefix}. */
  public int hits(String prefix) {
    return requestLog.stream().filter(p -> p.startsWith(prefix)).toList().size();
  }

  /** Every request line and body the fixture received, to check that secrets went where due. */
  public List<String> requestLog() {
    return List.copyOf(requestLog);
  }

  /**
   * A Kubernetes service account token as the kubelet projects it, for {@code subject}
   * (system:serviceaccount:NS:NAME); the signature part is a placeholder.
   */
  public static String serviceAccountToken(String issuer, String subject, Instant expires) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"test\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(("{\"aud\":[\"api://AzureADTokenExchange\"],\"iss\":\"" + issuer
        + "\",\"sub\":\"" + subject + "\",\"exp\":" + expires.getEpochSecond() + ",\"iat\":"
        + expires.minus(Duration.ofHours(1)).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + b64.encodeToString("not-checked".getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.close();
    imdsServer.close();
    vault.close();
  }

  // ---------------------------------------------------------------- identity platform, IMDS, ACR

  private void handleIdentityAndAcr(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      byte[] body = ex.getRequestBody().readAllBytes();
      requestLog.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + new String(body, StandardCharsets.UTF_8)
          + " " + ex.getRequestHeaders().getOrDefault("Authorization", List.of()));
      if (fault(ex, path)) {
        return;
      }
      if (path.endsWith("/oauth2/v2.0/token") && ex.getRequestMethod().equals("POST")) {
        entraToken(ex, path, form(new String(body, StandardCharsets.UTF_8)));
      } else if (path.equals("/metadata/identity/oauth2/token")) {
        imdsToken(ex, query(ex.getRequestURI().getRawQuery()));
      } else if (path.equals("/oauth2/exchange") && ex.getRequestMethod().equals("POST")) {
        acrExchange(ex, form(new String(body, StandardCharsets.UTF_8)));
      } else if (path.equals("/oauth2/token")) {
        registryToken(ex, query(ex.getRequestURI().getRawQuery()));
      } else {
        send(ex, 404, "{\"error\":\"not_found\"}", Map.of());
      }
    }
  }

  private boolean fault(HttpExchange ex, String path) throws IOException {
    for (Fault f : faults) {
      if (path.startsWith(f.pathPrefix()) && faults.remove(f)) {
        send(ex, f.status(), "{\"error\":\"temporarily_unavailable\",\"error_description\":\"busy\"}",
            f.retryAfter() == null ? Map.of() : Map.of("Retry-After", f.retryAfter()));
        return true;
      }
    }
    return false;
  }

  private void entraToken(HttpExchange ex, String path, Map<String, String> form) throws IOException {
    String tenant = path.substring(1, path.indexOf('/', 1));
    if (echoAssertions) {
      entraError(ex, 400, "invalid_client", 50027, "JWT token is invalid or malformed. Presented: "
          + form.get("client_assertion") + " (client " + form.get("client_id") + ")");
      return;
    }
    if (!tenant.equals(TENANT)) {
      entraError(ex, 400, "invalid_request", 90002, "Tenant '" + tenant + "' not found.");
      return;
    }
    if (!"client_credentials".equals(form.get("grant_type"))
        || !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
      entraError(ex, 400, "invalid_request", 900144, "The request body must contain client_assertion_type.");
      return;
    }
    Identity id = identities.get(form.getOrDefault("client_id", ""));
    if (id == null) {
      entraError(ex, 400, "unauthorized_client", 700016, "Application with identifier '"
          + form.get("client_id") + "' was not found in the directory.");
      return;
    }
    Map<String, Object> claims;
    try {
      String[] parts = form.getOrDefault("client_assertion", "").split("\\.");
      claims = StrictJson.MAPPER.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
    } catch (RuntimeException e) {
      entraError(ex, 400, "invalid_client", 50027, "JWT token is invalid or malformed.");
      return;
    }
    long exp = ((Number) claims.get("exp")).longValue();
    if (Instant.now().getEpochSecond() >= exp) {
      entraError(ex, 400, "invalid_client", 700024, "Client assertion is not within its valid time range.");
      return;
    }
    if (!ISSUER.equals(claims.get("iss")) || !id.subject().equals(claims.get("sub"))) {
      entraError(ex, 400, "invalid_request", 70021, "No matching federated identity record found for presented assertion.");
      return;
    }
    issue(ex, id.clientId(), form.get("scope"), false);
  }

  private void imdsToken(HttpExchange ex, Map<String, String> q) throws IOException {
    if (!"true".equals(ex.getRequestHeaders().getFirst("Metadata"))) {
      send(ex, 400, "{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}", Map.of());
      return;
    }
    Identity id = identities.get(q.getOrDefault("client_id", ""));
    if (id == null) {
      send(ex, 400, "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}", Map.of());
      return;
    }
    issue(ex, id.clientId(), q.get("resource") + "/.default", true);
  }

  private void issue(HttpExchange ex, String clientId, String scope, boolean imdsShape) throws IOException {
    String token = "at-" + UUID.randomUUID();
    Instant expires = Instant.now().plus(tokenLifetime);
    accessTokens.put(token, new Issued(clientId, scope, expires));
    long seconds = tokenLifetime.toSeconds();
    String expiresIn = imdsShape ? "\"" + seconds + "\"" : String.valueOf(seconds);
    send(ex, 200, "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\"" + token + "\"}", Map.of());
  }

  private void entraError(HttpExchange ex, int status, String error, int code, String description) throws IOException {
    send(ex, status, "{\"error\":\"" + error + "\",\"error_description\":\"AADSTS" + code + ": " + description
        + "\\r\\nTrace ID: 0000\",\"error_codes\":[" + code + "]}", Map.of());
  }

  private void acrExchange(HttpExchange ex, Map<String, String> form) throws IOException {
    Issued issued = accessTokens.get(form.getOrDefault("access_token", ""));
    if (!"access_token".equals(form.get("grant_type")) || issued == null
        || !issued.scope().equals("https://containerregistry.azure.net/.default")
        || Instant.now().isAfter(issued.expires())) {
      send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid AAD token\"}]}", Map.of());
      return;
    }
    String refresh = "rt-" + UUID.randomUUID();
    refreshTokens.put(refresh, issued.clientId());
    send(ex, 200, "{\"refresh_token\":\"" + refresh + "\"}", Map.of());
  }

  private void registryToken(HttpExchange ex, Map<String, String> q) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String user = null;
    String password = null;
    if (auth != null && auth.startsWith("Basic ")) {
      String pair = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
      user = pair.substring(0, pair.indexOf(':'));
      password = pair.substring(pair.indexOf(':') + 1);
    }
    Set<String> allowed;
    String subject;
    if (PUSHER.equals(user) && PUSHER_PASSWORD.equals(password)) {
      allowed = Set.of("pull", "push");
      subject = PUSHER;
    } else if (NULL_USER.equals(user) && refreshTokens.containsKey(password)
        && identities.get(refreshTokens.get(password)).roles().contains(ACR_PULL)) {
      allowed = Set.of("pull");
      subject = refreshTokens.get(password);
    } else {
      send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required,"
          + " visit https://aka.ms/acr/authorization for more information.\"}]}", Map.of());
      return;
    }
    List<Map<String, Object>> access = new ArrayList<>();
    String scope = q.get("scope");
    if (scope != null) {
      for (String s : scope.split(" ")) {
        String[] parts = s.split(":");
        if (parts.length == 3 && parts[0].equals("repository")) {
          List<String> actions = new ArrayList<>();
          for (String a : parts[2].split(",")) {
            if (allowed.contains(a)) {
              actions.add(a);
            }
          }
          access.add(Map.of("type", "repository", "name", parts[1], "actions", actions));
        }
      }
    }
    send(ex, 200, "{\"access_token\":\"" + registryJwt(subject, q.get("service"), access)
        + "\",\"expires_in\":3600}", Map.of());
  }

  private String registryJwt(String subject, String service, List<Map<String, Object>> access) {
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("typ", "JWT");
      header.put("alg", "RS256");
      header.put("x5c", List.of(Base64.getEncoder().encodeToString(signingCert.getEncoded())));
      long now = Instant.now().getEpochSecond();
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", REGISTRY_TOKEN_ISSUER);
      claims.put("sub", subject);
      claims.put("aud", service);
      claims.put("exp", now + 3600);
      claims.put("nbf", now - 60);
      claims.put("iat", now);
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("access", access);
      String input = b64.encodeToString(StrictJson.MAPPER.writeValueAsBytes(header)) + "."
          + b64.encodeToString(StrictJson.MAPPER.writeValueAsBytes(claims));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(signingKey.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64.encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- Key Vault

  private void handleVault(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requestLog.add("VAULT " + ex.getRequestMethod() + " " + ex.getRequestURI());
      if (fault(ex, "VAULT" + path)) {
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      Issued issued = auth != null && auth.startsWith("Bearer ") ? accessTokens.get(auth.substring(7)) : null;
      if (issued == null || !issued.scope().equals("https://vault.azure.net/.default")
          || Instant.now().isAfter(issued.expires())) {
        send(ex, 401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing a Bearer or PoP token.\"}}",
            Map.of("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/" + TENANT
                + "\", resource=\"https://vault.azure.net\""));
        return;
      }
      String[] parts = path.substring(1).split("/");
      boolean isSecret = parts[0].equals("secrets");
      Map<String, List<Version>> store = isSecret ? secrets : keys;
      String role = isSecret ? SECRETS_USER : CRYPTO_USER;
      if (!identities.get(issued.clientId()).roles().contains(role)) {
        send(ex, 403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Caller is not authorized to perform action on resource.\","
            + "\"innererror\":{\"code\":\"ForbiddenByRbac\"}}}", Map.of());
        return;
      }
      List<Version> versions = parts.length >= 2 ? store.get(parts[1]) : null;
      Version found = null;
      if (versions != null && !versions.isEmpty()) {
        if (parts.length == 2 || parts[2].isEmpty()) {
          found = versions.get(versions.size() - 1);
        } else {
          found = versions.stream().filter(v -> v.version().equals(parts[2])).findFirst().orElse(null);
        }
      }
      if (found == null) {
        String code = isSecret ? "SecretNotFound" : "KeyNotFound";
        send(ex, 404, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"A " + parts[0] + " with (name/id) "
            + (parts.length > 1 ? parts[1] : "") + " was not found in this key vault.\"}}", Map.of());
        return;
      }
      if (!found.enabled()) {
        String kind = isSecret ? "secret" : "key";
        send(ex, 403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Operation get is not allowed on a disabled "
            + kind + ".\",\"innererror\":{\"code\":\"" + (isSecret ? "SecretDisabled" : "KeyDisabled") + "\"}}}",
            Map.of());
        return;
      }
      String id = vaultUri() + parts[0] + "/" + parts[1] + "/" + found.version();
      String json = isSecret
          ? "{\"value\":" + StrictJson.MAPPER.writeValueAsString(found.value()) + ",\"contentType\":\""
              + found.contentType() + "\",\"id\":\"" + id + "\",\"managed\":true,\"attributes\":{\"enabled\":true}}"
          : "{\"key\":" + found.value().replace("\"KID\"", "\"" + id + "\"") + ",\"attributes\":{\"enabled\":true}}";
      send(ex, 200, json, Map.of());
    }
  }

  // ---------------------------------------------------------------- plumbing

  private static void send(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static Map<String, String> form(String body) {
    return query(body);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.merge(k, v, (a, b) -> a + " " + b);
    }
    return out;
  }

  public static String pem(String type, byte[] der) {
    return TestTls.pem(type, der);
  }
}
