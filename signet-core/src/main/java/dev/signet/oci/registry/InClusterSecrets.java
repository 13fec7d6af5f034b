package dev.signet.oci.registry;

// Kubernetes API (core/v1): GET /api/v1/namespaces/{ns}/secrets/{name} and
// /api/v1/namespaces/{ns}/serviceaccounts/{name}, authenticated with the pod's projected service
// account token (re-read at each request: the kubelet rotates it) and verified with the cluster CA.

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.StoreException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Secrets and service accounts read from the API server the pod runs in. */
public final class InClusterSecrets implements KubernetesSecrets {
  public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  private static final int MAX_BODY = 1024 * 1024;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final URI apiServer;
  private final Path tokenFile;
  private final String namespace;
  private final CloudHttp http;

  public InClusterSecrets(URI apiServer, Path tokenFile, String namespace, CloudHttp http) {
    this.apiServer = apiServer;
    this.tokenFile = tokenFile;
    this.namespace = namespace;
    this.http = http;
  }

  /**
   * The API server at {@code KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT}, trusted with the
   * service account's {@code ca.crt}; secrets from {@code RATIFY_NAMESPACE} or the pod's namespace.
   */
  public static InClusterSecrets fromEnvironment(UnaryOperator<String> env, Path serviceAccount, Clock clock) {
    String host = env.apply("KUBERNETES_SERVICE_HOST");
    String port = env.apply("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("k8Secrets: KUBERNETES_SERVICE_HOST is not set; the k8Secrets"
          + " auth provider reads Secrets through the API server of the cluster it runs in");
    }
    String ns = env.apply("RATIFY_NAMESPACE");
    if (ns == null || ns.isBlank()) {
      try {
        ns = Files.readString(serviceAccount.resolve("namespace")).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException("k8Secrets: set RATIFY_NAMESPACE (cannot read "
            + serviceAccount.resolve("namespace") + ")");
      }
    }
    String authority = host.contains(":") ? "[" + host + "]" : host;
    URI api = URI.create("https://" + authority + ":" + (port == null || port.isBlank() ? "443" : port) + "/");
    CloudHttp http;
    try {
      http = CloudHttp.create(TrustMaterial.sslContext(serviceAccount.resolve("ca.crt")), clock);
    } catch (StoreException e) {
      throw new IllegalArgumentException("k8Secrets: " + e.getMessage());
    }
    return new InClusterSecrets(api, serviceAccount.resolve("token"), ns.trim(), http);
  }

  @Override
  public String defaultNamespace() {
    return namespace;
  }

  @Override
  public Secret secret(String ns, String name, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    JsonNode json = get(ns, "secrets", name, deadline);
    JsonNode type = json.get("type");
    Map<String, byte[]> data = new LinkedHashMap<>();
    JsonNode d = json.get("data");
    if (d != null && d.isObject()) {
      for (Map.Entry<String, JsonNode> e : d.properties()) {
        if (e.getValue().isString()) {
          try {
            data.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asString()));
          } catch (IllegalArgumentException bad) {
            throw new CloudException("Secret " + ns + "/" + name + ": data." + e.getKey() + " is not base64");
          }
        }
      }
    }
    return new Secret(type != null && type.isString() ? type.asString() : "", data);
  }

  @Override
  public List<String> imagePullSecrets(String ns, String serviceAccount, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    JsonNode json = get(ns, "serviceaccounts", serviceAccount, deadline);
    List<String> names = new ArrayList<>();
    JsonNode list = json.get("imagePullSecrets");
    if (list != null && list.isArray()) {
      for (JsonNode ref : list) {
        JsonNode n = ref.get("name");
        if (n != null && n.isString()) {
          names.add(n.asString());
        }
      }
    }
    return names;
  }

  private JsonNode get(String ns, String resource, String name, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    if (!NAME.matcher(ns).matches() || !NAME.matcher(name).matches()) {
      throw new CloudException("k8Secrets: \"" + ns + "/" + name + "\" is not a valid " + resource + " name");
    }
    String what = "k8Secrets: reading " + resource + " " + ns + "/" + name;
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new CloudException(what + ": cannot read the service account token " + tokenFile, 0, e);
    }
    URI uri = apiServer.resolve("/api/v1/namespaces/" + ns + "/" + resource + "/" + name);
    HttpPipeline.Response r = http.send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
            .header("Accept", "application/json").GET(),
        what, MAX_BODY, deadline);
    switch (r.status()) {
      case 200 -> {
        try {
          return StrictJson.parseObject(r.body(), MAX_BODY, resource);
        } catch (JsonFormatException e) {
          throw new CloudException(what + ": the answer is not a JSON object", 200);
        }
      }
      case 401 -> throw new CloudException(what + " was refused (HTTP 401): the service account token"
          + " was not accepted", 401);
      case 403 -> throw new CloudException(what + " was denied (HTTP 403): the service account needs"
          + " a Role in namespace " + ns + " allowing get on " + resource, 403);
      case 404 -> throw new CloudException(what + ": not found (HTTP 404)", 404);
      default -> throw new CloudException(what + " failed (HTTP " + r.status() + ")", r.status());
    }
  }
}
