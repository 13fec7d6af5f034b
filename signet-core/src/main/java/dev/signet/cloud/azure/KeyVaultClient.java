package dev.signet.cloud.azure;

// Azure Key Vault REST API 7.4: GET {vault}/secrets/{name}/{version} (a certificate's whole
// chain is in the secret that backs it), GET {vault}/keys/{name}/{version} (a JWK); errors
// {"error": {"code", "message", "innererror": {"code"}}}, 401 with a Bearer challenge
// (authorization="https://login.../{tenant}", resource="https://vault.azure.net").

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Reads secrets and keys of one vault with an Entra ID identity. */
public final class KeyVaultClient {
  static final String API_VERSION = "7.4";
  private static final int MAX_BODY = 1024 * 1024;
  private static final Pattern NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z]{0,64}");
  private static final Pattern TENANT_IN_CHALLENGE =
      Pattern.compile("authorization(?:_uri)?=\"https://[^/\"]+/([^/\"]+)\"");

  /** A secret version as the vault answers it. {@code value} is secret material. */
  public record Secret(String name, String version, String contentType, String value) {
    @Override
    public String toString() {
      return "Secret[" + name + "/" + version + ", " + contentType + ", <redacted>]";
    }
  }

  /** A key version: its JSON Web Key (public parts only are read). */
  public record Key(String name, String version, JsonNode jwk) {}

  /** The version asked for is disabled (Key Vault's inner error {@code SecretDisabled}). */
  public static final class DisabledException extends CloudException {
    DisabledException(String message) {
      super(message, 403);
    }
  }

  /** The object or version does not exist in the vault (HTTP 404). */
  public static final class NotFoundException extends CloudException {
    NotFoundException(String message) {
      super(message, 404);
    }
  }

  private final URI vault;
  private final String scope;
  private final EntraTokens tokens;
  private final CloudHttp http;

  /**
   * @param vault {@code https://NAME.vault.azure.net/}
   * @param scope the token scope, {@code https://vault.azure.net/.default} in the public cloud
   *     ({@link #scopeFor(URI)})
   */
  public KeyVaultClient(URI vault, String scope, EntraTokens tokens, CloudHttp http) {
    this.vault = Objects.requireNonNull(vault, "vault");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.tokens = tokens;
    this.http = http;
  }

  /**
   * The Key Vault token scope of a vault URI: the vault's DNS suffix ({@code vault.azure.net},
   * {@code vault.azure.cn}, {@code vault.usgovcloudapi.net}, ...) as {@code
   * https://SUFFIX/.default}; null when the host has no such suffix.
   */
  public static String scopeFor(URI vault) {
    String host = vault.getHost() == null ? "" : vault.getHost().toLowerCase(Locale.ROOT);
    int dot = host.indexOf('.');
    if (dot < 0 || !host.substring(dot + 1).startsWith("vault.")) {
      return null;
    }
    return "https://" + host.substring(dot + 1) + "/.default";
  }

  public URI vault() {
    return vault;
  }

  /** A secret version; the latest when {@code version} is null or empty. */
  public Secret secret(String name, String version, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    JsonNode json = get("secrets", name, version, "Key Vault Secrets User", deadline);
    String id = string(json, "id");
    JsonNode value = json.get("value");
    if (value == null || !value.isString()) {
      throw new CloudException("Key Vault secret " + name + ": the answer has no value");
    }
    return new Secret(name, versionOf(id, version), string(json, "contentType"), value.asString());
  }

  /** A key version's JSON Web Key; the latest when {@code version} is null or empty. */
  public Key key(String name, String version, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    JsonNode json = get("keys", name, version, "Key Vault Crypto User", deadline);
    JsonNode jwk = json.get("key");
    if (jwk == null || !jwk.isObject()) {
      throw new CloudException("Key Vault key " + name + ": the answer has no key");
    }
    return new Key(name, versionOf(string(jwk, "kid"), version), jwk);
  }

  private JsonNode get(String collection, String name, String version, String role, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    if (!NAME.matcher(name).matches()) {
      throw new CloudException("Key Vault: \"" + name + "\" is not a valid object name");
    }
    String v = version == null ? "" : version;
    if (!VERSION.matcher(v).matches()) {
      throw new CloudException("Key Vault: \"" + v + "\" is not a valid version of " + name);
    }
    String object = collection.substring(0, collection.length() - 1) + " " + name
        + (v.isEmpty() ? " (latest version)" : " version " + v);
    String what = "Key Vault " + CloudHttp.origin(vault) + ": reading " + object;
    AccessToken token = tokens.get(scope, deadline);
    URI uri = vault.resolve("/" + collection + "/" + name + (v.isEmpty() ? "" : "/" + v)
        + "?api-version=" + URLEncoder.encode(API_VERSION, StandardCharsets.UTF_8));
    HttpPipeline.Response r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json")
                .GET(),
            what,
            MAX_BODY,
            deadline);
    JsonNode json = json(r.body());
    if (r.status() == 200) {
      if (json == null) {
        throw new CloudException(what + ": the answer is not a JSON object", 200);
      }
      return json;
    }
    String code = errorCode(json, false);
    String inner = errorCode(json, true);
    String detail = code == null ? "" : " " + code + (inner == null ? "" : "/" + inner);
    String identity = tokens.credential().describe();
    switch (r.status()) {
      case 401 -> {
        tokens.evict(scope);
        String challenge = r.header("www-authenticate").orElse("");
        Matcher m = TENANT_IN_CHALLENGE.matcher(challenge);
        String tenant = tokens.credential().tenantId();
        if (m.find() && tenant != null && !m.group(1).equalsIgnoreCase(tenant)) {
          throw new CloudException(what + " was refused (HTTP 401" + detail + "): the vault belongs"
              + " to tenant " + m.group(1) + " but the " + identity + " is in tenant " + tenant
              + "; set tenantID to the vault's tenant", 401);
        }
        throw new CloudException(what + " was refused (HTTP 401" + detail + "): the vault did not"
            + " accept the token of the " + identity + " for " + scope, 401);
      }
      case 403 -> {
        if ("SecretDisabled".equals(inner) || "KeyDisabled".equals(inner)
            || "CertificateDisabled".equals(inner)) {
          throw new DisabledException(what + ": the version is disabled (" + inner + ")");
        }
        throw new CloudException(what + " was denied (HTTP 403" + detail + "): the " + identity
            + " needs the \"" + role + "\" role on the vault (az role assignment create --role \""
            + role + "\" --assignee " + tokens.credential().clientId() + " --scope <vault resource id>)"
            + " or an access policy allowing get", 403);
      }
      case 404 -> throw new NotFoundException(what + ": not found (HTTP 404" + detail + ")");
      case 429 -> throw new CloudException(what + ": the vault is throttling requests (HTTP 429)"
          + " and the wait it asked for does not fit in the time left", 429);
      default -> throw new CloudException(what + " failed (HTTP " + r.status() + detail + ")", r.status());
    }
  }

  private static String versionOf(String id, String asked) {
    if (asked != null && !asked.isEmpty()) {
      return asked;
    }
    if (id == null) {
      return "";
    }
    String path = URI.create(id).getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static JsonNode json(byte[] body) {
    try {
      return StrictJson.parseObject(body, MAX_BODY, "Key Vault answer");
    } catch (JsonFormatException e) {
      return null;
    }
  }

  private static String errorCode(JsonNode json, boolean inner) {
    if (json == null || !(json.get("error") instanceof JsonNode error) || !error.isObject()) {
      return null;
    }
    JsonNode at = inner ? error.get("innererror") : error;
    if (at == null || !at.isObject()) {
      return null;
    }
    String code = string(at, "code");
    return code != null && code.matches("[A-Za-z0-9_.]{1,64}") ? code : null;
  }

  private static String string(JsonNode json, String field) {
    JsonNode v = json.get(field);
    return v != null && v.isString() ? v.asString() : null;
  }
}
