package dev.signet.cloud.aws;

// Amazon ECR GetAuthorizationToken (JSON 1.1 protocol, target
// AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken), signed with Signature Version 4
// for service "ecr". The token is base64("AWS:<password>").

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Asks ECR for a registry password with temporary credentials. */
public final class EcrClient {
  private static final int MAX_BODY = 64 * 1024;
  private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";

  /** A registry user and password, and when they expire; the password never prints. */
  public record Authorization(String user, String password, Instant expiresAt) {
    @Override
    public String toString() {
      return "Authorization[" + user + ", <redacted>, expiresAt=" + expiresAt + "]";
    }
  }

  private final URI endpoint;
  private final CloudHttp http;

  /** {@code endpoint}: {@code https://api.ecr.REGION.amazonaws.com/} or an override. */
  public EcrClient(URI endpoint, CloudHttp http) {
    this.endpoint = endpoint;
    this.http = http;
  }

  public static URI defaultEndpoint(String region) {
    return URI.create("https://api.ecr." + region + ".amazonaws.com/");
  }

  public Authorization authorizationToken(WebIdentity identity, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    WebIdentity.Session session = identity.session(deadline);
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String amzDate = SigV4.amzDate(http.clock().instant());
    Map<String, List<String>> signed = new LinkedHashMap<>();
    signed.put("content-type", List.of("application/x-amz-json-1.1"));
    signed.put("host", List.of(endpoint.getRawAuthority()));
    signed.put("x-amz-date", List.of(amzDate));
    signed.put("x-amz-security-token", List.of(session.credentials().sessionToken()));
    signed.put("x-amz-target", List.of(TARGET));
    String authorization = SigV4.authorization(
        "POST", endpoint, signed, body, session.credentials(), identity.region(), "ecr");
    String what = "ECR GetAuthorizationToken at " + CloudHttp.origin(endpoint) + " as " + identity.roleArn();
    HttpPipeline.Response r = http.send(
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Date", amzDate)
            .header("X-Amz-Security-Token", session.credentials().sessionToken())
            .header("X-Amz-Target", TARGET)
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        what, MAX_BODY, deadline);
    JsonNode json;
    try {
      json = StrictJson.parseObject(r.body(), MAX_BODY, "ECR answer");
    } catch (JsonFormatException e) {
      json = null;
    }
    if (r.status() != 200) {
      String type = json == null ? null : text(json, "__type");
      if (type != null && type.contains("#")) {
        type = type.substring(type.indexOf('#') + 1);
      }
      String remedy = "AccessDeniedException".equals(type)
          ? "; the role " + identity.roleArn() + " needs ecr:GetAuthorizationToken (and"
              + " ecr:BatchGetImage, ecr:GetDownloadUrlForLayer to pull), e.g. the"
              + " AmazonEC2ContainerRegistryReadOnly policy"
          : "";
      throw new CloudException(what + " failed (HTTP " + r.status() + (type == null ? "" : " " + type)
          + ")" + remedy, r.status());
    }
    JsonNode data = json == null ? null : json.get("authorizationData");
    if (data == null || !data.isArray() || data.isEmpty()) {
      throw new CloudException(what + ": the answer has no authorizationData");
    }
    JsonNode first = data.get(0);
    String token = text(first, "authorizationToken");
    JsonNode expires = first.get("expiresAt");
    if (token == null || expires == null || !expires.isNumber()) {
      throw new CloudException(what + ": the answer has no authorizationToken or expiresAt");
    }
    String pair;
    try {
      pair = new String(java.util.Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new CloudException(what + ": the authorizationToken is not base64");
    }
    int colon = pair.indexOf(':');
    if (colon <= 0) {
      throw new CloudException(what + ": the authorizationToken is not user:password");
    }
    Instant at = Instant.ofEpochMilli((long) (expires.asDouble() * 1000));
    return new Authorization(pair.substring(0, colon), pair.substring(colon + 1), at);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isString() ? v.asString() : null;
  }
}
