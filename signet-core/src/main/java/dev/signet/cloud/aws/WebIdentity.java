package dev.signet.cloud.aws;

// AWS STS AssumeRoleWithWebIdentity (query API, version 2011-06-15) as IAM roles for service
// accounts (IRSA) set it up: AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_REGION. The call is
// not signed; the web identity token is the proof. Answers are XML.

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.Scrubber;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Temporary AWS credentials for an IAM role, from a Kubernetes service account token. */
public final class WebIdentity {
  private static final int MAX_BODY = 64 * 1024;
  private static final long MAX_TOKEN_FILE_BYTES = 64 * 1024;
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  /** Credentials and when they expire. */
  public record Session(SigV4.Credentials credentials, Instant expiration) {}

  private final URI endpoint;
  private final String roleArn;
  private final Path tokenFile;
  private final String region;
  private final CloudHttp http;
  private Session cached;

  public WebIdentity(URI endpoint, String roleArn, Path tokenFile, String region, CloudHttp http) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
    this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
    this.region = Objects.requireNonNull(region, "region");
    this.http = http;
  }

  /**
   * The role the EKS pod identity webhook injects: {@code AWS_ROLE_ARN}, {@code
   * AWS_WEB_IDENTITY_TOKEN_FILE}, {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}); STS at {@code
   * AWS_ENDPOINT_URL_STS} when set, else the regional endpoint.
   *
   * @throws IllegalArgumentException naming the missing variable
   */
  public static WebIdentity fromEnvironment(UnaryOperator<String> env, CloudHttp http) {
    String hint = " (the EKS pod identity webhook sets it when the service account is annotated"
        + " eks.amazonaws.com/role-arn)";
    String role = set(env.apply("AWS_ROLE_ARN"));
    String file = set(env.apply("AWS_WEB_IDENTITY_TOKEN_FILE"));
    String region = set(env.apply("AWS_REGION"));
    if (region == null) {
      region = set(env.apply("AWS_DEFAULT_REGION"));
    }
    if (role == null) {
      throw new IllegalArgumentException("AWS web identity: AWS_ROLE_ARN is not set" + hint);
    }
    if (file == null) {
      throw new IllegalArgumentException("AWS web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set" + hint);
    }
    if (region == null) {
      throw new IllegalArgumentException("AWS web identity: AWS_REGION is not set" + hint);
    }
    String sts = set(env.apply("AWS_ENDPOINT_URL_STS"));
    URI uri = URI.create(sts != null ? sts : "https://sts." + region + ".amazonaws.com/");
    if (!"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("AWS web identity: the STS endpoint must be https://, found " + uri);
    }
    return new WebIdentity(uri, role, Path.of(file), region, http);
  }

  private static String set(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  public String roleArn() {
    return roleArn;
  }

  public String region() {
    return region;
  }

  public String describe() {
    return "IAM role " + roleArn + " (web identity, region " + region + ")";
  }

  /** Credentials valid for a while yet; STS is asked again shortly before they expire. */
  public synchronized Session session(Deadline deadline) throws CloudException, DeadlineExceededException {
    if (cached != null && http.clock().instant().isBefore(cached.expiration().minus(RENEW_BEFORE))) {
      return cached;
    }
    cached = assumeRole(deadline);
    return cached;
  }

  private Session assumeRole(Deadline deadline) throws CloudException, DeadlineExceededException {
    String token = readToken();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRoleWithWebIdentity");
    form.put("Version", "2011-06-15");
    form.put("RoleArn", roleArn);
    form.put("RoleSessionName", "signet-" + http.clock().millis());
    form.put("WebIdentityToken", token);
    String what = "STS AssumeRoleWithWebIdentity for " + roleArn + " at " + CloudHttp.origin(endpoint);
    HttpPipeline.Response r = http.send(
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(CloudHttp.form(form)),
        what, MAX_BODY, deadline);
    Document xml = xml(r.body());
    if (r.status() != 200) {
      // Scrubbed before it is cut: an echo of the token must not survive even in part.
      Scrubber scrubber = Scrubber.removing(List.of(token));
      String code = scrubber.scrub(text(xml, "Code"));
      String message = scrubber.scrub(text(xml, "Message"));
      String detail = code == null ? "" : " " + code + (message == null ? "" : ": " + bounded(message));
      String remedy = switch (code == null ? "" : code) {
        case "AccessDenied" -> "; the role's trust policy must allow sts:AssumeRoleWithWebIdentity"
            + " for the cluster's OIDC provider and this service account";
        case "InvalidIdentityToken" -> "; is the cluster's OIDC provider registered in IAM, with"
            + " audience sts.amazonaws.com?";
        case "ExpiredTokenException" -> "; the service account token in " + tokenFile
            + " has expired; the kubelet renews it: check the projected token volume";
        default -> "";
      };
      throw new CloudException(what + " failed (HTTP " + r.status() + detail + ")" + remedy, r.status());
    }
    String key = text(xml, "AccessKeyId");
    String secret = text(xml, "SecretAccessKey");
    String session = text(xml, "SessionToken");
    String expiration = text(xml, "Expiration");
    if (key == null || secret == null || session == null || expiration == null) {
      throw new CloudException(what + ": the answer has no credentials");
    }
    try {
      return new Session(new SigV4.Credentials(key, secret, session), Instant.parse(expiration));
    } catch (DateTimeParseException e) {
      throw new CloudException(what + ": the answer has an invalid Expiration");
    }
  }

  private String readToken() throws CloudException {
    try {
      if (Files.size(tokenFile) > MAX_TOKEN_FILE_BYTES) {
        throw new CloudException("AWS web identity: the token file " + tokenFile + " is too large");
      }
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new CloudException("AWS web identity: the token file " + tokenFile + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new CloudException("AWS web identity: cannot read the token file " + tokenFile
          + " (AWS_WEB_IDENTITY_TOKEN_FILE): " + e.getClass().getSimpleName(), 0, e);
    }
  }

  private static String bounded(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  /** An XML document parsed without DTDs or external entities; null when not XML. */
  static Document xml(byte[] body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      return null;
    }
  }

  static String text(Document xml, String element) {
    if (xml == null) {
      return null;
    }
    NodeList nodes = xml.getElementsByTagNameNS("*", element);
    if (nodes.getLength() == 0) {
      return null;
    }
    String t = nodes.item(0).getTextContent();
    return t == null || t.isBlank() ? null : t.trim();
  }
}
