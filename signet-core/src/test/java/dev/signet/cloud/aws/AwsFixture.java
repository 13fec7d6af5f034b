package dev.signet.cloud.aws;

// Local HTTPS stand-ins for AWS STS (AssumeRoleWithWebIdentity, query API 2011-06-15, XML
// answers and ErrorResponse) and Amazon ECR (GetAuthorizationToken, JSON 1.1 protocol), from
// their public API references. ECR requests are checked for a valid Signature Version 4 with the
// credentials STS issued. A mock only where no real service can run here: the web identity
// token's signature is not checked (there is no cluster OIDC issuer); issuer, subject and expiry are.

import com.sun.net.httpserver.HttpExchange;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.TestTls;
import dev.signet.json.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/** STS and ECR on 127.0.0.1 over HTTPS. */
public final class AwsFixture implements AutoCloseable {
  public static final String ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
  public static final String ECR_TOKEN = "ecr:GetAuthorizationToken";
  private static final Pattern CREDENTIAL = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

  /** An IAM role: the service account its trust policy admits and the actions it may do. */
  public record Role(String arn, String subject, Set<String> actions) {}

  private record Issued(String role, SigV4.Credentials credentials) {}

  private final TestTls.Loopback tls;
  private final LocalHttpServer server;
  private final Map<String, Role> roles = new ConcurrentHashMap<>();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final List<String> requestLog = new CopyOnWriteArrayList<>();
  private volatile String registryUser = "AWS";
  private volatile String registryPassword = "ecr-password";

  private volatile boolean echoTokens;

  public AwsFixture(Path dir) throws Exception {
    tls = TestTls.loopback(dir, "Signet test AWS");
    server = new LocalHttpServer(tls.server(), 0);
    server.handle("*", this::handle);
  }

  public SSLContext clientSsl() {
    return tls.client();
  }

  public URI endpoint() {
    return URI.create(server.url("/"));
  }

  public void role(String arn, String subject, String... actions) {
    roles.put(arn, new Role(arn, subject, Set.of(actions)));
  }

  /** The user and password ECR hands out (a real registry's basic credentials in tests). */
  /**
   * While on, STS refuses every request and echoes the web identity token it got in the error
   * message, as a misbehaving proxy or a debugging build might.
   */
  public void echoTokensInErrors(boolean on) {
    echoTokens = on;
  }

  public void registryCredentials(String user, String password) {
    registryUser = user;
    registryPassword = password;
  }

  public List<String> requestLog() {
    return List.copyOf(requestLog);
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      requestLog.add(ex.getRequestMethod() + " " + (target == null ? "STS" : target));
      if (target == null) {
        sts(ex, query(new String(body, StandardCharsets.UTF_8)));
      } else {
        ecr(ex, target, body);
      }
    }
  }

  private void sts(HttpExchange ex, Map<String, String> form) throws IOException {
    if (!"AssumeRoleWithWebIdentity".equals(form.get("Action")) || !"2011-06-15".equals(form.get("Version"))) {
      stsError(ex, 400, "InvalidAction", "Could not find operation " + form.get("Action"));
      return;
    }
    if (echoTokens) {
      stsError(ex, 400, "InvalidIdentityToken", "Couldn't parse the token " + form.get("WebIdentityToken"));
      return;
    }
    Map<?, ?> claims;
    try {
      String[] parts = form.getOrDefault("WebIdentityToken", "").split("\\.");
      claims = StrictJson.MAPPER.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
    } catch (RuntimeException e) {
      stsError(ex, 400, "InvalidIdentityToken", "Couldn't parse the token");
      return;
    }
    if (!ISSUER.equals(claims.get("iss"))) {
      stsError(ex, 400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for " + claims.get("iss"));
      return;
    }
    if (Instant.now().getEpochSecond() >= ((Number) claims.get("exp")).longValue()) {
      stsError(ex, 400, "ExpiredTokenException", "Token expired: current date/time must be before the expiration date/time");
      return;
    }
    Role role = roles.get(form.getOrDefault("RoleArn", ""));
    if (role == null || !role.subject().equals(claims.get("sub"))) {
      stsError(ex, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
      return;
    }
    SigV4.Credentials c = new SigV4.Credentials("ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(),
        UUID.randomUUID().toString(), "session-" + UUID.randomUUID());
    issued.put(c.accessKeyId(), new Issued(role.arn(), c));
    String xml = "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + "<AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>" + claims.get("sub")
        + "</SubjectFromWebIdentityToken><Credentials><SessionToken>" + c.sessionToken() + "</SessionToken>"
        + "<SecretAccessKey>" + c.secretAccessKey() + "</SecretAccessKey><Expiration>"
        + Instant.now().plus(Duration.ofHours(1)).toString() + "</Expiration><AccessKeyId>" + c.accessKeyId()
        + "</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResult>"
        + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
        + "</AssumeRoleWithWebIdentityResponse>";
    send(ex, 200, "text/xml", xml);
  }

  private void stsError(HttpExchange ex, int status, String code, String message) throws IOException {
    send(ex, status, "text/xml", "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
        + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
        + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
  }

  private void ecr(HttpExchange ex, String target, byte[] body) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
    if (m == null || !m.matches() || !issued.containsKey(m.group(1)) || !m.group(4).equals("ecr")) {
      ecrError(ex, 403, "UnrecognizedClientException", "The security token included in the request is invalid.");
      return;
    }
    Issued who = issued.get(m.group(1));
    Map<String, List<String>> signed = new LinkedHashMap<>();
    for (String name : m.group(5).split(";")) {
      List<String> values = name.equals("host")
          ? List.of(ex.getRequestHeaders().getFirst("Host"))
          : ex.getRequestHeaders().getOrDefault(name, List.of());
      signed.put(name, new ArrayList<>(values));
    }
    String expected = SigV4.authorization("POST", URI.create("https://" + ex.getRequestHeaders().getFirst("Host") + "/"),
        signed, body, who.credentials(), m.group(3), "ecr");
    if (!expected.equals(auth) || !m.group(5).contains("x-amz-security-token")
        || !who.credentials().sessionToken().equals(ex.getRequestHeaders().getFirst("X-Amz-Security-Token"))) {
      ecrError(ex, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
      return;
    }
    if (!target.equals("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken")) {
      ecrError(ex, 400, "UnknownOperationException", "");
      return;
    }
    if (!roles.get(who.role()).actions().contains(ECR_TOKEN)) {
      ecrError(ex, 400, "AccessDeniedException", "User: " + who.role() + " is not authorized to perform: "
          + ECR_TOKEN + " on resource: * because no identity-based policy allows the " + ECR_TOKEN + " action");
      return;
    }
    String token = Base64.getEncoder().encodeToString((registryUser + ":" + registryPassword).getBytes(StandardCharsets.UTF_8));
    double expires = Instant.now().plus(Duration.ofHours(12)).toEpochMilli() / 1000.0;
    send(ex, 200, "application/x-amz-json-1.1", "{\"authorizationData\":[{\"authorizationToken\":\"" + token
        + "\",\"expiresAt\":" + expires + ",\"proxyEndpoint\":\"https://123456789012.dkr.ecr.us-west-2.amazonaws.com\"}]}");
  }

  private void ecrError(HttpExchange ex, int status, String type, String message) throws IOException {
    send(ex, status, "application/x-amz-json-1.1", "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
