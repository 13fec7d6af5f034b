package dev.signet.demo;

// fabric8's Kubernetes mock server in CRUD mode: a real HTTP server on 127.0.0.1 that stores what
// is created and serves lists, watches and status updates over the API server's REST protocol. It
// does not enforce RBAC or schemas. It stands in for a cluster in the demo, as no real API server
// can run on the machines Signet is built on.

import dev.signet.cli.demo.DemoCluster;
import dev.signet.kubernetes.resource.Ratify;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/** The demo's API server: fabric8's mock server with Ratify's kinds, on 127.0.0.1. */
public final class MockApiServer implements DemoCluster {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockApiServer() throws Exception {
    server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(
            Ratify.KINDS.stream().map(CustomResourceDefinitionContext::fromCustomResourceType).toList()),
        false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public String description() {
    return "fabric8's Kubernetes mock API server (CRUD mode, in this process)";
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  /** Found by {@code signet demo --kubernetes} through the ServiceLoader. */
  public static final class Factory implements DemoCluster.Factory {
    @Override
    public DemoCluster start() throws Exception {
      return new MockApiServer();
    }
  }
}
