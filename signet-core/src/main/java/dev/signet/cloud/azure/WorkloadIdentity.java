package dev.signet.cloud.azure;

// Microsoft identity platform: client credentials flow with a federated client assertion
// (POST {authority}/{tenant}/oauth2/v2.0/token, client_assertion_type jwt-bearer), as the
// Azure Workload Identity webhook sets it up: AZURE_CLIENT_ID, AZURE_TENANT_ID,
// AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST.

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.Scrubber;
import dev.signet.json.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * A Kubernetes service account token federated with an Entra ID application or user-assigned
 * managed identity. The token file is read again at every token request because the kubelet
 * rotates it.
 */
public record WorkloadIdentity(
    URI authorityHost, String tenantId, String clientId, Path tokenFile, CloudHttp http)
    implements EntraCredential {
  public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com/";
  private static final long MAX_TOKEN_FILE_BYTES = 64 * 1024;

  public WorkloadIdentity {
    Objects.requireNonNull(authorityHost, "authorityHost");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(http, "http");
  }

  /**
   * The identity the workload identity webhook injects, with the client and tenant ids given in
   * the configuration taking precedence over {@code AZURE_CLIENT_ID} / {@code AZURE_TENANT_ID}.
   *
   * @throws IllegalArgumentException naming the missing setting and how to provide it
   */
  public static WorkloadIdentity fromEnvironment(
      UnaryOperator<String> env, String clientId, String tenantId, CloudHttp http) {
    String client = firstSet(clientId, env.apply("AZURE_CLIENT_ID"));
    String tenant = firstSet(tenantId, env.apply("AZURE_TENANT_ID"));
    String file = env.apply("AZURE_FEDERATED_TOKEN_FILE");
    String hint = " (the workload identity webhook sets it when the pod's service account is"
        + " annotated azure.workload.identity/client-id and the pod is labelled"
        + " azure.workload.identity/use: \"true\")";
    if (client == null) {
      throw new IllegalArgumentException(
          "workload identity: no client id: set clientID or AZURE_CLIENT_ID" + hint);
    }
    if (tenant == null) {
      throw new IllegalArgumentException(
          "workload identity: no tenant id: set tenantID or AZURE_TENANT_ID" + hint);
    }
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException(
          "workload identity: AZURE_FEDERATED_TOKEN_FILE is not set" + hint);
    }
    String authority = firstSet(env.apply("AZURE_AUTHORITY_HOST"), DEFAULT_AUTHORITY_HOST);
    URI host;
    try {
      host = URI.create(authority.endsWith("/") ? authority : authority + "/");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("workload identity: AZURE_AUTHORITY_HOST is not a URL");
    }
    if (!"https".equals(host.getScheme()) || host.getHost() == null) {
      throw new IllegalArgumentException(
          "workload identity: AZURE_AUTHORITY_HOST must be an https:// URL, found " + authority);
    }
    return new WorkloadIdentity(host, tenant, client, Path.of(file), http);
  }

  private static String firstSet(String a, String b) {
    return a != null && !a.isBlank() ? a.trim() : (b != null && !b.isBlank() ? b.trim() : null);
  }

  @Override
  public AccessToken fetch(String scope, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    String assertion = readAssertion();
    URI endpoint = authorityHost.resolve(tenantId + "/oauth2/v2.0/token");
    String what = "Entra ID token request for " + describe();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", clientId);
    form.put("scope", scope);
    form.put("grant_type", "client_credentials");
    form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.put("client_assertion", assertion);
    HttpPipeline.Response r =
        http.send(
            HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(CloudHttp.form(form)),
            what,
            TokenAnswer.MAX_BODY,
            deadline);
    if (r.status() == 200) {
      return TokenAnswer.parse(r, what, http.clock());
    }
    throw new CloudException(what + " failed (" + TokenAnswer.errorText(r, Scrubber.removing(List.of(assertion))) + ")" + remedy(r, assertion), r.status());
  }

  private String remedy(HttpPipeline.Response r, String assertion) {
    long code = TokenAnswer.errorCode(r);
    if (code == 700024) {
      return ": the service account token in " + tokenFile + " has expired or is not yet valid;"
          + " the kubelet renews it: check that the projected token volume is mounted and the"
          + " node clock is right";
    }
    if (code == 70021 || code == 700213 || code == 700211) {
      return ": no federated credential of client " + clientId + " matches this token"
          + claims(assertion) + "; create one with that issuer and subject"
          + " (az identity federated-credential create --issuer ... --subject ...)";
    }
    if (code == 700016) {
      return ": no application or managed identity with client id " + clientId + " in tenant "
          + tenantId + "; check azureWorkloadIdentity.clientId and the tenant id";
    }
    if (code == 90002) {
      return ": tenant " + tenantId + " does not exist at " + CloudHttp.origin(authorityHost)
          + "; check the tenant id and AZURE_AUTHORITY_HOST (sovereign clouds have their own)";
    }
    if (r.status() == 429 || r.status() >= 500) {
      return ": Entra ID is busy or failing; the request was retried within the deadline";
    }
    return "";
  }

  /** The issuer and subject claims of the service account token, for a message. */
  private static String claims(String assertion) {
    String[] parts = assertion.split("\\.");
    if (parts.length != 3) {
      return "";
    }
    try {
      JsonNode payload =
          StrictJson.parseObject(Base64.getUrlDecoder().decode(parts[1]), 16 * 1024, "token");
      JsonNode iss = payload.get("iss");
      JsonNode sub = payload.get("sub");
      if (iss != null && iss.isString() && sub != null && sub.isString()) {
        return " (issuer " + iss.asString() + ", subject " + sub.asString() + ")";
      }
    } catch (RuntimeException | dev.signet.json.JsonFormatException e) {
      // Not a JWT we can read; the message goes without the claims.
    }
    return "";
  }

  private String readAssertion() throws CloudException {
    try {
      if (Files.size(tokenFile) > MAX_TOKEN_FILE_BYTES) {
        throw new CloudException("workload identity: the token file " + tokenFile
            + " is larger than " + MAX_TOKEN_FILE_BYTES + " bytes");
      }
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new CloudException("workload identity: the token file " + tokenFile + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new CloudException("workload identity: cannot read the token file " + tokenFile
          + " (AZURE_FEDERATED_TOKEN_FILE): " + e.getClass().getSimpleName()
          + "; is the pod labelled azure.workload.identity/use: \"true\"?", 0, e);
    }
  }

  @Override
  public String describe() {
    return "workload identity (client id " + clientId + ", tenant " + tenantId + ", authority "
        + CloudHttp.origin(authorityHost) + ")";
  }
}
