package dev.signet.oci.registry;

// Ratify's k8Secrets auth provider (ratify-reference §1.6): the dockerconfigjson Secrets named in
// the store plus the imagePullSecrets of a service account (default "default"), read from
// RATIFY_NAMESPACE; credentials kept 12 hours.

import dev.signet.cloud.CloudException;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Registry credentials from Kubernetes image pull Secrets. */
public final class K8sSecretsCredentials extends CloudCredentials {
  static final Duration TTL = Duration.ofHours(12);
  private static final int MAX_CONFIG_BYTES = 1024 * 1024;

  /** A Secret the store names; {@code namespace} null means the default namespace. */
  public record SecretRef(String name, String namespace) {}

  private record Loaded(String source, JsonNode auths) {}

  private final KubernetesSecrets api;
  private final String serviceAccount;
  private final List<SecretRef> secrets;
  private List<Loaded> loaded;
  private Instant loadedAt;

  public K8sSecretsCredentials(
      KubernetesSecrets api, String serviceAccount, List<SecretRef> secrets, Clock clock) {
    super("k8Secrets", clock);
    this.api = api;
    this.serviceAccount = serviceAccount == null ? "default" : serviceAccount;
    this.secrets = List.copyOf(secrets);
  }

  @Override
  public synchronized Credential credentialFor(String registry, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    if (loaded == null || !clock().instant().isBefore(loadedAt.plus(TTL))) {
      loaded = load(deadline);
      loadedAt = clock().instant();
    }
    String host = DockerConfigCredentials.normalize(registry);
    for (Loaded l : loaded) {
      Credential c = DockerConfigCredentials.fromAuths(l.auths(), host, l.source());
      if (!(c instanceof Credential.Anonymous)) {
        return c;
      }
    }
    return Credential.ANONYMOUS;
  }

  private List<Loaded> load(Deadline deadline) throws StoreException, DeadlineExceededException {
    List<SecretRef> all = new ArrayList<>(secrets);
    String ns = api.defaultNamespace();
    try {
      try {
        for (String name : api.imagePullSecrets(ns, serviceAccount, deadline)) {
          all.add(new SecretRef(name, ns));
        }
      } catch (CloudException e) {
        if (e.status() != 404 || secrets.isEmpty()) {
          throw e;
        }
      }
      List<Loaded> out = new ArrayList<>();
      for (SecretRef ref : all) {
        String namespace = ref.namespace() == null ? ns : ref.namespace();
        KubernetesSecrets.Secret s = api.secret(namespace, ref.name(), deadline);
        out.add(auths(namespace + "/" + ref.name(), s));
      }
      return out;
    } catch (CloudException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  /** {@code kubernetes.io/dockerconfigjson} ({@code .dockerconfigjson: {auths}}) or the legacy {@code .dockercfg}. */
  private static Loaded auths(String source, KubernetesSecrets.Secret s) throws StoreException {
    String where = "Secret " + source;
    byte[] json = s.data().get(".dockerconfigjson");
    boolean legacy = json == null;
    if (legacy) {
      json = s.data().get(".dockercfg");
    }
    if (json == null) {
      throw new StoreException(where + " (type " + s.type() + ") has no .dockerconfigjson;"
          + " create it with kubectl create secret docker-registry");
    }
    try {
      JsonNode root = StrictJson.parseObject(json, MAX_CONFIG_BYTES, where);
      JsonNode auths = legacy ? root : root.get("auths");
      if (auths == null || !auths.isObject()) {
        throw new StoreException(where + ": .dockerconfigjson has no auths object");
      }
      return new Loaded(where, auths);
    } catch (JsonFormatException e) {
      throw new StoreException(where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void evict(String registry) {
    loaded = null;
  }

  @Override
  public String remedy(String registry) {
    return "check the image pull Secrets of service account " + serviceAccount
        + (secrets.isEmpty() ? "" : " and " + secrets.stream().map(SecretRef::name).toList())
        + " for " + registry;
  }

  @Override
  public String describe() {
    return "k8Secrets (service account " + api.defaultNamespace() + "/" + serviceAccount
        + (secrets.isEmpty() ? "" : ", secrets " + secrets.stream().map(SecretRef::name).toList()) + ")";
  }
}
