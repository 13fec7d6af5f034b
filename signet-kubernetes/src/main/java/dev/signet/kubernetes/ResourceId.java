package dev.signet.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** One custom resource: its kind, namespace ({@code ""} when cluster-scoped) and name. */
public record ResourceId(String kind, String namespace, String name) {
  static ResourceId of(HasMetadata resource) {
    String ns = resource.getMetadata().getNamespace();
    return new ResourceId(resource.getKind(), ns == null ? "" : ns, resource.getMetadata().getName());
  }

  /** How a verifier names it: {@code NAME} when cluster-scoped, else {@code NAMESPACE/NAME}. */
  String reference() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  @Override
  public String toString() {
    return kind + " " + reference();
  }
}
