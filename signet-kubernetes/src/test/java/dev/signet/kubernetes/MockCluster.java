package dev.signet.kubernetes;

// No Kubernetes API server can run on the build machines, so tests use fabric8's mock server in
// CRUD mode: a real HTTP server that stores what is created, answers lists and watches, and
// applies status updates, speaking the API server's REST protocol to the real client.

import dev.signet.kubernetes.resource.Ratify;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A mock API server in CRUD mode with Ratify's kinds, on 127.0.0.1, and a client for it. */
public final class MockCluster implements AutoCloseable {
  public static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS =
      Ratify.KINDS.stream().collect(java.util.stream.Collectors.toMap(k -> HasMetadata.getKind(k), k -> k));

  private final KubernetesMockServer server;
  public final KubernetesClient client;

  public MockCluster() throws Exception {
    List<CustomResourceDefinitionContext> contexts =
        new java.util.ArrayList<>(KINDS.values().stream()
            .map(CustomResourceDefinitionContext::fromCustomResourceType)
            .toList());
    // Gatekeeper's external data Provider, whose caBundle certificate rotation keeps current.
    contexts.add(new CustomResourceDefinitionContext.Builder()
        .withGroup("externaldata.gatekeeper.sh").withVersion("v1beta1").withKind("Provider")
        .withPlural("providers").withScope("Cluster").build());
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(contexts),
            false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
  }

  /**
   * Creates or replaces a resource given as YAML. A v1alpha1 object is stored as v1beta1, as the API
   * server does for Ratify's CRDs (conversion strategy None: only apiVersion changes).
   */
  public HasMetadata apply(String yaml, String namespace) {
    Map<String, Object> tree = client.getKubernetesSerialization().unmarshal(yaml, Map.class);
    String kind = String.valueOf(tree.get("kind"));
    Class<? extends CustomResource<?, ?>> type = KINDS.get(kind);
    if (type == null) {
      throw new IllegalArgumentException("not a Ratify kind: " + kind);
    }
    tree.put("apiVersion", Ratify.GROUP + "/" + Ratify.VERSION);
    CustomResource<?, ?> resource =
        client.getKubernetesSerialization().convertValue(tree, type);
    if (resource instanceof io.fabric8.kubernetes.api.model.Namespaced) {
      resource.getMetadata().setNamespace(namespace);
    }
    if (client.resource(resource).get() == null) {
      return client.resource(resource).create();
    }
    // Replace the spec, retrying when a status write of the controller came in between.
    for (int attempt = 0; ; attempt++) {
      CustomResource<?, ?> existing = client.resource(resource).get();
      resource.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      // The API server keeps the status of a resource with a status subresource on update; the
      // mock server does not know subresources, so the test carries it over.
      setStatus(resource, existing.getStatus());
      try {
        return client.resource(resource).update();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void setStatus(CustomResource resource, Object status) {
    resource.setStatus(status);
  }

  public <T extends CustomResource<?, ?>> T get(Class<T> kind, String namespace, String name) {
    return namespace == null
        ? client.resources(kind).withName(name).get()
        : client.resources(kind).inNamespace(namespace).withName(name).get();
  }

  public <T extends CustomResource<?, ?>> void delete(Class<T> kind, String namespace, String name) {
    if (namespace == null) {
      client.resources(kind).withName(name).delete();
    } else {
      client.resources(kind).inNamespace(namespace).withName(name).delete();
    }
  }

  /**
   * The requests the server received since the last call, as {@code METHOD PATH} (query included),
   * in order.
   */
  public List<String> takeRequests() throws InterruptedException {
    List<String> out = new java.util.ArrayList<>();
    for (var r = server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS); r != null;
        r = server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      out.add(r.getMethod() + " " + r.getPath());
    }
    return out;
  }

  /** Waits for a condition; the timeout only guards against a hang. */
  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(Integer.getInteger("await.seconds", 30)));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
