package dev.signet.cli.demo;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A Kubernetes API server for {@code signet demo --kubernetes}. The shipped command line has none:
 * the signet-demo module provides fabric8's mock API server (in CRUD mode, with Ratify's kinds),
 * found through {@link java.util.ServiceLoader} when bin/signet puts it on the class path.
 */
public interface DemoCluster extends AutoCloseable {
  /** A client of the API server. */
  KubernetesClient client();

  /** What the API server is, for the demo's output. */
  String description();

  @Override
  void close();

  /** Starts a {@link DemoCluster}. */
  interface Factory {
    DemoCluster start() throws Exception;
  }
}
