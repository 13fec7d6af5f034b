package dev.signet.oci.registry;

// The cloud auth providers of Ratify's oras store (ratify-reference §1.6), from their
// authProvider objects.

import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.azure.EntraCredential;
import dev.signet.cloud.azure.EntraTokens;
import dev.signet.cloud.azure.ManagedIdentity;
import dev.signet.cloud.azure.WorkloadIdentity;
import dev.signet.cloud.aws.EcrClient;
import dev.signet.cloud.aws.WebIdentity;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

final class AuthProviders {
  private AuthProviders() {}

  /**
   * {@code {"name": "azureWorkloadIdentity", "clientID": "...", "tenantID": "...", "endpoints":
   * ["*.azurecr.io"]}}, or {@code azureManagedIdentity} with {@code clientID} and {@code
   * imdsEndpoint}. Ids not given come from {@code AZURE_CLIENT_ID} / {@code AZURE_TENANT_ID}.
   */
  static AcrCredentials azure(String name, JsonNode auth, UnaryOperator<String> env, CloudHttp http) {
    boolean workload = name.equals("azureWorkloadIdentity");
    allowOnly(auth, workload
        ? Set.of("name", "clientID", "tenantID", "endpoints")
        : Set.of("name", "clientID", "tenantID", "endpoints", "imdsEndpoint"));
    String clientId = string(auth, "clientID");
    String tenantId = string(auth, "tenantID");
    EntraCredential credential;
    if (workload) {
      try {
        credential = WorkloadIdentity.fromEnvironment(env, clientId, tenantId, http);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("store \"oras\": authProvider " + name + ": " + e.getMessage());
      }
      tenantId = credential.tenantId();
    } else {
      String endpoint = string(auth, "imdsEndpoint");
      URI imds = endpoint == null ? ManagedIdentity.DEFAULT_ENDPOINT : URI.create(endpoint);
      String client = clientId != null ? clientId : blankToNull(env.apply("AZURE_CLIENT_ID"));
      credential = new ManagedIdentity(imds, client, http);
      if (tenantId == null) {
        tenantId = blankToNull(env.apply("AZURE_TENANT_ID"));
      }
    }
    List<String> endpoints = new ArrayList<>();
    JsonNode list = auth.get("endpoints");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new IllegalArgumentException(
            "store \"oras\": authProvider.endpoints must be a list of host names like \"*.azurecr.io\"");
      }
      for (JsonNode e : list) {
        if (!e.isString() || e.asString().isBlank()) {
          throw new IllegalArgumentException(
              "store \"oras\": authProvider.endpoints must hold host names like \"*.azurecr.io\"");
        }
        endpoints.add(e.asString().trim());
      }
    }
    return new AcrCredentials(
        name, new EntraTokens(credential, http.clock()), tenantId, endpoints, http);
  }

  /**
   * {@code {"name": "awsEcrBasic"}}: the IRSA variables; ECR at {@code AWS_ENDPOINT_URL_ECR} or
   * Ratify's {@code AWS_API_OVERRIDE_ENDPOINT} when set, else the regional endpoint.
   */
  static EcrCredentials awsEcr(JsonNode auth, UnaryOperator<String> env, CloudHttp http) {
    allowOnly(auth, Set.of("name"));
    WebIdentity identity;
    try {
      identity = WebIdentity.fromEnvironment(env, http);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("store \"oras\": authProvider awsEcrBasic: " + e.getMessage());
    }
    String override = blankToNull(env.apply("AWS_ENDPOINT_URL_ECR"));
    if (override == null) {
      override = blankToNull(env.apply("AWS_API_OVERRIDE_ENDPOINT"));
    }
    URI endpoint = override != null ? URI.create(override) : EcrClient.defaultEndpoint(identity.region());
    if (!"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException(
          "store \"oras\": authProvider awsEcrBasic: the ECR endpoint must be https://, found " + endpoint);
    }
    return new EcrCredentials(identity, new EcrClient(endpoint, http), http.clock());
  }

  /**
   * {@code {"name": "k8Secrets", "serviceAccountName": "ratify-admin", "secrets": [{"secretName":
   * "pull", "namespace": "default"}]}}.
   */
  static K8sSecretsCredentials k8Secrets(JsonNode auth, KubernetesSecrets api, java.time.Clock clock) {
    allowOnly(auth, Set.of("name", "serviceAccountName", "secrets"));
    List<K8sSecretsCredentials.SecretRef> refs = new ArrayList<>();
    JsonNode list = auth.get("secrets");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new IllegalArgumentException(
            "store \"oras\": authProvider.secrets must be a list of {\"secretName\": ..., \"namespace\": ...}");
      }
      for (JsonNode s : list) {
        if (!s.isObject()) {
          throw new IllegalArgumentException(
              "store \"oras\": authProvider.secrets must be a list of {\"secretName\": ..., \"namespace\": ...}");
        }
        allowOnly(s, Set.of("secretName", "namespace"));
        String name = string(s, "secretName");
        if (name == null) {
          throw new IllegalArgumentException("store \"oras\": every authProvider.secrets entry needs secretName");
        }
        refs.add(new K8sSecretsCredentials.SecretRef(name, string(s, "namespace")));
      }
    }
    return new K8sSecretsCredentials(api, string(auth, "serviceAccountName"), refs, clock);
  }

  private static void allowOnly(JsonNode auth, Set<String> known) {
    for (Map.Entry<String, JsonNode> e : auth.properties()) {
      if (!known.contains(e.getKey())) {
        throw new IllegalArgumentException("store \"oras\": unknown authProvider parameter \""
            + e.getKey() + "\" (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String string(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new IllegalArgumentException("store \"oras\": authProvider." + field + " must be a string");
    }
    return blankToNull(v.asString());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
