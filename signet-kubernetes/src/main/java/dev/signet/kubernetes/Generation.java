package dev.signet.kubernetes;

import dev.signet.engine.ConfigGeneration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The engines of one version of the resources: one for the cluster and one per namespace that has
 * namespaced resources. Replaced as a whole, never changed, so a decision that took its engine from
 * one generation finishes on it. A later generation reuses the engines whose configuration did not
 * change; the controller retires the ones it does not reuse.
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

  /** The configurations of the ready engines (each scope has its own). */
  List<ConfigGeneration> configurations() {
    return Stream.concat(Stream.of(cluster), namespaces.values().stream())
        .<ConfigGeneration>mapMulti(
            (engine, out) -> {
              if (engine instanceof Engine.Ready ready) {
                out.accept(ready.configuration());
              }
            })
        .toList();
  }
}
