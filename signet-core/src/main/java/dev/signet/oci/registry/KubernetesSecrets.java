package dev.signet.oci.registry;

import dev.signet.cloud.CloudException;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.util.List;
import java.util.Map;

/**
 * Reads the Secrets and service accounts the {@code k8Secrets} auth provider needs. {@link
 * InClusterSecrets} talks to the API server with the pod's service account; the Kubernetes module
 * may supply its own client.
 */
public interface KubernetesSecrets {

  /** A Secret's type and decoded data; the values are secret and never print. */
  record Secret(String type, Map<String, byte[]> data) {
    @Override
    public String toString() {
      return "Secret[" + type + ", keys=" + data.keySet() + "]";
    }
  }

  /** The Secret {@code namespace/name}. */
  Secret secret(String namespace, String name, Deadline deadline)
      throws CloudException, DeadlineExceededException;

  /** The names in {@code imagePullSecrets} of the service account {@code namespace/name}. */
  List<String> imagePullSecrets(String namespace, String serviceAccount, Deadline deadline)
      throws CloudException, DeadlineExceededException;

  /** The namespace secrets are read from by default (the pod's own). */
  String defaultNamespace();
}
