package dev.signet.oci.registry;

// Docker registry token authentication (token and OAuth2 refresh-token grant); RFC 7235 / RFC 6750
// for challenges; RFC 7617 for Basic.

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.Authentication;
import dev.signet.http.HttpException;
import dev.signet.http.HttpPipeline;
import dev.signet.http.Redirects;
import dev.signet.http.TokenCache;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.StoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * How a registry client authenticates: the challenge each registry last sent, Basic credentials,
 * and Bearer tokens fetched from the challenge's realm and kept, per registry and scope, in a
 * bounded, expiring {@link TokenCache}. Requests needing the same token at the same time share
 * one token request.
 */
final class RegistryAuthentication {
  private static final int MAX_TOKEN_BODY = 1024 * 1024;
  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);

  private final CredentialProvider credentials;
  private final Clock clock;
  private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
  private final TokenCache tokens;
  private final SingleFlight<String> tokenRequests = new SingleFlight<>();

  RegistryAuthentication(CredentialProvider credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
    this.tokens = new TokenCache(TokenCache.DEFAULT_MAX_ENTRIES, clock);
  }

  /**
   * The credentials of a request to {@code registry} (at {@code base}) for {@code scope}; token
   * requests go through {@code pipeline}.
   */
  Authentication forScope(String registry, URI base, String scope, HttpPipeline pipeline) {
    return new Scoped(this, registry, base, scope, pipeline);
  }

  /** The credentials of requests to one registry for one scope. */
  private record Scoped(
      RegistryAuthentication owner, String registry, URI base, String scope, HttpPipeline pipeline)
      implements Authentication {

    @Override
    public URI origin() {
      return base;
    }

    @Override
    public String preemptive(Deadline deadline) throws HttpException, DeadlineExceededException {
      AuthChallenge known = owner.challenges.get(registry);
      if (known == null) {
        return null;
      }
      try {
        if (known.scheme().equals("basic")) {
          return basicHeader(owner.credentials.credentialFor(registry));
        }
        Optional<String> token = owner.tokens.get(tokenKey());
        if (token.isPresent()) {
          return "Bearer " + token.get();
        }
        return "Bearer " + sharedToken(known, deadline);
      } catch (StoreException e) {
        throw HttpException.authentication(e);
      }
    }

    @Override
    public String challenged(List<String> header, Deadline deadline)
        throws HttpException, DeadlineExceededException {
      try {
        return answer(header, deadline);
      } catch (StoreException e) {
        throw HttpException.authentication(e);
      }
    }

    @Override
    public void rejected() {
      owner.credentials.evict(registry);
      owner.tokens.remove(tokenKey());
    }

    private String answer(List<String> header, Deadline deadline)
        throws StoreException, DeadlineExceededException {
      String what = "authentication to " + registry;
      List<AuthChallenge> offered;
      try {
        offered = AuthChallenge.parseAll(header);
      } catch (IllegalArgumentException e) {
        throw new StoreException(what + ": " + e.getMessage());
      }
      AuthChallenge bearer = null;
      AuthChallenge basic = null;
      for (AuthChallenge c : offered) {
        if (c.scheme().equals("bearer") && bearer == null) {
          bearer = c;
        } else if (c.scheme().equals("basic") && basic == null) {
          basic = c;
        }
      }
      if (bearer != null) {
        owner.challenges.put(registry, bearer);
        owner.tokens.remove(tokenKey());
        return "Bearer " + sharedToken(bearer, deadline);
      }
      if (basic != null) {
        owner.challenges.put(registry, basic);
        return basicHeader(owner.credentials.credentialFor(registry));
      }
      throw new StoreException(what + ": the registry asks for an unsupported authentication"
          + " scheme (" + offered.get(0).scheme() + ")");
    }

    private String tokenKey() {
      return registry + "|" + (scope == null ? "" : scope);
    }

    /** A new token; requests needing the same one at the same time share one token request. */
    private String sharedToken(AuthChallenge challenge, Deadline deadline)
        throws StoreException, DeadlineExceededException {
      return owner.tokenRequests.run(tokenKey(), deadline, "token request for " + registry,
          () -> fetchToken(challenge, deadline));
    }

    private String fetchToken(AuthChallenge challenge, Deadline deadline)
        throws StoreException, DeadlineExceededException {
      String what = "token request for " + registry;
      String realm = challenge.param("realm");
      if (realm == null || realm.isEmpty()) {
        throw new StoreException(what + ": the Bearer challenge has no realm");
      }
      URI realmUri;
      try {
        realmUri = new URI(realm);
      } catch (URISyntaxException e) {
        throw new StoreException(what + ": the Bearer realm is not a valid URL");
      }
      boolean plainRegistry = "http".equals(base.getScheme());
      if (!"https".equals(realmUri.getScheme())
          && !("http".equals(realmUri.getScheme()) && plainRegistry)) {
        throw new StoreException(what + ": refusing to send credentials to the non-HTTPS realm "
            + Redirects.origin(realmUri));
      }
      Credential credential = owner.credentials.credentialFor(registry, challenge, deadline);
      StringBuilder form = new StringBuilder();
      String service = challenge.param("service");
      if (service != null) {
        form.append("service=").append(enc(service));
      }
      for (String s : scopes(challenge)) {
        form.append(form.isEmpty() ? "" : "&").append("scope=").append(enc(s));
      }
      HttpPipeline.Request request;
      if (credential instanceof Credential.IdentityToken it) {
        form.append(form.isEmpty() ? "" : "&").append("grant_type=refresh_token")
            .append("&client_id=signet&refresh_token=").append(enc(it.token()));
        pipeline.sentSecret(it.token());
        // A token request changes nothing at the realm: safe to send again.
        request = HttpPipeline.Request.of(what, "POST", realmUri)
            .body("application/x-www-form-urlencoded", form.toString().getBytes(StandardCharsets.UTF_8))
            .repeatable(true);
      } else {
        String sep = realmUri.getRawQuery() == null ? "?" : "&";
        URI get = form.isEmpty() ? realmUri : URI.create(realmUri + sep + form);
        request = HttpPipeline.Request.get(what, get);
        String basic = basicHeader(credential);
        if (basic != null) {
          request = request.header("Authorization", basic);
        }
      }
      HttpPipeline.Response r =
          RegistryClient.send(pipeline, request.maxBody(MAX_TOKEN_BODY), deadline);
      if (r.status() == 401 || r.status() == 403) {
        owner.credentials.evict(registry);
        throw new RegistryException(what + " was rejected (HTTP " + r.status()
            + "): " + owner.credentials.remedy(registry), r.status(), ErrorResponse.code(r.body()));
      }
      if (r.status() != 200) {
        throw ErrorResponse.failure(r, what, registry);
      }
      return keep(parseToken(r.body(), what));
    }

    private Set<String> scopes(AuthChallenge challenge) {
      Set<String> scopes = new LinkedHashSet<>();
      if (scope != null) {
        scopes.add(scope);
      }
      String asked = challenge.param("scope");
      if (asked != null) {
        for (String s : asked.trim().split("\\s+")) {
          if (!s.isEmpty()) {
            scopes.add(s);
          }
        }
      }
      return scopes;
    }

    private String keep(Token token) {
      // Renew a little early so that a token never expires in flight.
      Instant expires = owner.clock.instant().plus(token.lifetime()).minus(token.lifetime().dividedBy(10));
      owner.tokens.put(tokenKey(), token.value(), expires);
      return token.value();
    }
  }

  private record Token(String value, Duration lifetime) {}

  private static Token parseToken(byte[] body, String what) throws StoreException {
    JsonNode json;
    try {
      json = StrictJson.parseObject(body, MAX_TOKEN_BODY, "token response");
    } catch (JsonFormatException e) {
      throw new StoreException(what + ": the token response is not a JSON object");
    }
    String value = tokenField(json, "token");
    if (value == null) {
      value = tokenField(json, "access_token");
    }
    if (value == null || value.isEmpty()) {
      throw new StoreException(what + ": the token response has no token");
    }
    Duration lifetime = MIN_TOKEN_LIFETIME;
    JsonNode expiresIn = json.get("expires_in");
    if (expiresIn != null && expiresIn.isIntegralNumber() && expiresIn.canConvertToLong()
        && expiresIn.asLong() > lifetime.toSeconds()) {
      lifetime = Duration.ofSeconds(Math.min(expiresIn.asLong(), Duration.ofDays(1).toSeconds()));
    }
    return new Token(value, lifetime);
  }

  private static String tokenField(JsonNode json, String name) {
    JsonNode v = json.get(name);
    return v != null && v.isString() ? v.asString() : null;
  }

  private static String basicHeader(Credential credential) {
    if (credential instanceof Credential.Basic b) {
      String pair = b.username() + ":" + b.password();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
