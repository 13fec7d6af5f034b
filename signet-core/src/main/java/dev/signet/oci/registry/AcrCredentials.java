package dev.signet.oci.registry;

// Azure Container Registry's token exchange: POST /oauth2/exchange with grant_type=access_token,
// service, tenant and an Entra ID access token for https://containerregistry.azure.net/.default
// answers an ACR refresh token, presented to the registry's token service as the password of
// the user 00000000-0000-0000-0000-000000000000 (ratify-reference §1.6).

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.azure.AccessToken;
import dev.signet.cloud.azure.EntraTokens;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.StoreException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Ratify's {@code azureWorkloadIdentity} and {@code azureManagedIdentity} auth providers: an Entra
 * ID identity exchanged for an ACR refresh token per registry, cached until shortly before it (or
 * the Entra token it came from) expires.
 */
public final class AcrCredentials extends CloudCredentials {
  public static final String NULL_USER = "00000000-0000-0000-0000-000000000000";
  public static final String ACR_SCOPE = "https://containerregistry.azure.net/.default";
  public static final List<String> DEFAULT_ENDPOINTS =
      List.of("*.azurecr.io", "*.azurecr.us", "*.azurecr.cn");
  /** ACR refresh tokens live 3 hours; renew 5 minutes before. */
  private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofHours(3).minusMinutes(5);
  private static final int MAX_BODY = 64 * 1024;

  private record Cached(Credential.Basic credential, Instant renewAt) {}

  private final String providerName;
  private final EntraTokens tokens;
  private final String tenantId;
  private final List<String> endpoints;
  private final CloudHttp http;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * @param providerName {@code azureWorkloadIdentity} or {@code azureManagedIdentity}, for messages
   * @param tenantId sent with the exchange; null when unknown (managed identity without a tenant)
   * @param endpoints host patterns this identity may be sent to ({@code *.azurecr.io} matches any
   *     host under azurecr.io)
   */
  public AcrCredentials(
      String providerName,
      EntraTokens tokens,
      String tenantId,
      List<String> endpoints,
      CloudHttp http) {
    super(providerName, http.clock());
    this.providerName = providerName;
    this.tokens = tokens;
    this.tenantId = tenantId;
    this.endpoints = endpoints.isEmpty() ? DEFAULT_ENDPOINTS : List.copyOf(endpoints);
    this.http = http;
  }

  @Override
  public Credential credentialFor(String registry, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    if (!allowed(registry)) {
      throw new StoreException("HOST_NAME_INVALID: " + providerName + " sends the Azure identity"
          + " only to " + String.join(", ", endpoints) + "; " + registry + " is not one of them"
          + " (add it to the authProvider's endpoints)");
    }
    Cached hit = cache.get(registry);
    if (hit != null && clock().instant().isBefore(hit.renewAt())) {
      return hit.credential();
    }
    synchronized (locks.computeIfAbsent(registry, r -> new Object())) {
      hit = cache.get(registry);
      if (hit != null && clock().instant().isBefore(hit.renewAt())) {
        return hit.credential();
      }
      Cached fresh = exchange(registry, challenge, deadline);
      cache.put(registry, fresh);
      return fresh.credential();
    }
  }

  private Cached exchange(String registry, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    URI endpoint = exchangeEndpoint(registry, challenge);
    String service = challenge != null && challenge.param("service") != null
        ? challenge.param("service")
        : registry;
    AccessToken aad;
    try {
      aad = tokens.get(ACR_SCOPE, deadline);
    } catch (CloudException e) {
      throw new StoreException(providerName + ": " + e.getMessage(), e);
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "access_token");
    form.put("service", service);
    if (tenantId != null) {
      form.put("tenant", tenantId);
    }
    form.put("access_token", aad.value());
    String what = providerName + ": ACR token exchange at " + CloudHttp.origin(endpoint);
    HttpPipeline.Response r;
    try {
      r = http.send(
          HttpRequest.newBuilder(endpoint)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Accept", "application/json")
              .POST(CloudHttp.form(form)),
          what,
          MAX_BODY,
          deadline);
    } catch (CloudException e) {
      throw new StoreException(e.getMessage(), e);
    }
    if (r.status() == 401 || r.status() == 403) {
      tokens.evict(ACR_SCOPE);
      throw new StoreException(what + " was rejected (HTTP " + r.status() + "): " + remedy(registry));
    }
    if (r.status() != 200) {
      throw new StoreException(what + " failed (HTTP " + r.status() + ")");
    }
    String refresh;
    try {
      JsonNode json = StrictJson.parseObject(r.body(), MAX_BODY, "exchange answer");
      JsonNode t = json.get("refresh_token");
      refresh = t != null && t.isString() && !t.asString().isEmpty() ? t.asString() : null;
    } catch (JsonFormatException e) {
      refresh = null;
    }
    if (refresh == null) {
      throw new StoreException(what + ": the answer has no refresh_token");
    }
    Instant renewAt = clock().instant().plus(REFRESH_TOKEN_LIFETIME);
    Instant aadRenew = aad.expiresOn().minus(Duration.ofMinutes(5));
    if (aadRenew.isBefore(renewAt)) {
      renewAt = aadRenew;
    }
    return new Cached(new Credential.Basic(NULL_USER, refresh), renewAt);
  }

  /**
   * The registry's own {@code /oauth2/exchange}; or the one beside its token realm when the realm's
   * host is HTTPS and also one of the endpoints (a registry whose token service runs elsewhere).
   */
  private URI exchangeEndpoint(String registry, AuthChallenge challenge) {
    if (challenge != null && challenge.param("realm") != null) {
      try {
        URI realm = new URI(challenge.param("realm"));
        if ("https".equals(realm.getScheme()) && realm.getHost() != null
            && allowed(realm.getRawAuthority())) {
          return URI.create("https://" + realm.getRawAuthority() + "/oauth2/exchange");
        }
      } catch (java.net.URISyntaxException e) {
        // Fall back to the registry itself.
      }
    }
    return URI.create("https://" + registry + "/oauth2/exchange");
  }

  boolean allowed(String registry) {
    String hostPort = registry.toLowerCase(Locale.ROOT);
    int colon = hostPort.lastIndexOf(':');
    String host = colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
    for (String pattern : endpoints) {
      String p = pattern.toLowerCase(Locale.ROOT);
      if (p.startsWith("*.")) {
        if (host.endsWith(p.substring(1)) || hostPort.endsWith(p.substring(1))) {
          return true;
        }
      } else if (p.equals(host) || p.equals(hostPort)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void evict(String registry) {
    cache.remove(registry);
  }

  @Override
  public String remedy(String registry) {
    String client = tokens.credential().clientId();
    return "the " + tokens.credential().describe() + " needs the AcrPull role on " + registry
        + " (az role assignment create --assignee " + (client == null ? "<client id>" : client)
        + " --role AcrPull --scope <registry resource id>)";
  }

  @Override
  public String describe() {
    return providerName + " with " + tokens.credential().describe();
  }
}
