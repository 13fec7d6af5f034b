package dev.signet.kubernetes;

import java.util.Map;

/**
 * The engines of one version of the resources: one for the cluster and one per namespace that has
 * namespaced resources. Replaced as a whole, never changed, so a decision that took its engine from
 * one generation finishes on it.
 *
 * @param number 1 for the first build, one more for each later one
 */
public record Generation(long number, Engine cluster, Map<String, Engine> namespaces) {
  public Generation {
    namespaces = Map.copyOf(namespaces);
  }

  /** The engine for images of {@code namespace} ({@code ""} or null: the cluster's). */
  public Engine engine(String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      return cluster;
    }
    return namespaces.getOrDefault(namespace, cluster);
  }
}
