package dev.signet.kubernetes.rotation;

// Ratify's RATIFY_CERT_ROTATION, done in order so that no request fails mid-rotation: every client
// is given a CA bundle holding the new CA (and the old one) before the new certificate is served.

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the serving certificate in a Secret Signet owns: issues it when the Secret is missing or
 * unusable, replaces it {@code lead} before it expires, publishes the CA bundle to Gatekeeper's
 * Providers and Signet's webhook configurations (those that exist), and writes the certificate to
 * the server's certificate directory, whose reload serves it.
 */
public final class CertificateRotation implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CertificateRotation.class.getName());
  /** Gatekeeper's external data Provider, cluster-scoped. */
  public static final ResourceDefinitionContext PROVIDER =
      new ResourceDefinitionContext.Builder()
          .withGroup("externaldata.gatekeeper.sh")
          .withVersion("v1beta1")
          .withKind("Provider")
          .withPlural("providers")
          .withNamespaced(false)
          .build();

  /**
   * What to rotate and where to publish it.
   *
   * @param namespace the namespace of the Secret (Signet's own)
   * @param secretName the Secret holding ca.crt, ca.key, tls.crt and tls.key
   * @param dnsNames the names the serving certificate is for (the Service's)
   * @param providers Gatekeeper Provider names whose {@code spec.caBundle} is kept current
   * @param webhookConfigurations Validating/MutatingWebhookConfiguration names whose webhooks'
   *     {@code clientConfig.caBundle} is kept current
   * @param certDir the server's certificate directory; left alone when it is a mounted Secret
   *     volume (the kubelet refreshes it)
   * @param validity how long a new CA and certificate are valid
   * @param lead how long before expiry they are replaced
   * @param interval how often the Secret and the bundles are checked
   */
  public record Settings(
      String namespace,
      String secretName,
      List<String> dnsNames,
      List<String> providers,
      List<String> webhookConfigurations,
      Path certDir,
      Duration validity,
      Duration lead,
      Duration interval,
      Clock clock) {
    public Settings {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(secretName, "secretName");
      dnsNames = List.copyOf(dnsNames);
      providers = List.copyOf(providers);
      webhookConfigurations = List.copyOf(webhookConfigurations);
      Objects.requireNonNull(certDir, "certDir");
      Objects.requireNonNull(clock, "clock");
      if (dnsNames.isEmpty()) {
        throw new IllegalArgumentException("the serving certificate needs at least one DNS name");
      }
      if (validity.isNegative() || validity.isZero() || lead.isNegative() || lead.compareTo(validity) >= 0) {
        throw new IllegalArgumentException(
            "certificate validity (" + validity + ") must be positive and longer than the rotation lead time ("
                + lead + ")");
      }
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final ScheduledExecutorService worker;
  private volatile ServingMaterial current;

  private CertificateRotation(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "signet-cert-rotation");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Makes the Secret, the bundles and the certificate directory current once, then checks them on
   * the interval.
   *
   * @throws KubernetesClientException when the API server refuses (for example RBAC)
   */
  public static CertificateRotation start(KubernetesClient client, Settings settings) {
    CertificateRotation rotation = new CertificateRotation(client, settings);
    rotation.check();
    long every = settings.interval().toMillis();
    rotation.worker.scheduleWithFixedDelay(rotation::checkLogged, every, every, TimeUnit.MILLISECONDS);
    return rotation;
  }

  /** The material being served. */
  public ServingMaterial current() {
    return current;
  }

  /**
   * One round: reuses the Secret when it can serve past the lead time, otherwise issues new
   * material (bundle first, then the Secret); then makes the bundles and files match the Secret.
   */
  public synchronized void check() {
    for (int attempt = 0; ; attempt++) {
      Secret secret = secrets().get();
      ServingMaterial material = usable(secret);
      if (material == null) {
        material = issue(secret);
        // Clients learn the new CA before any server presents a certificate it signed.
        publishBundle(material);
        try {
          secret = store(secret, material);
        } catch (KubernetesClientException e) {
          if ((e.getCode() == 409 || e.getCode() == 422) && attempt < 3) {
            continue; // another replica rotated first: use what it stored
          }
          throw e;
        }
        LOG.log(System.Logger.Level.INFO,
            "issued a serving certificate valid until {0} into Secret {1}/{2}",
            material.expiry(), settings.namespace(), settings.secretName());
      }
      publishBundle(material);
      writeFiles(material);
      current = material;
      return;
    }
  }

  private void checkLogged() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING,
          "certificate rotation check failed; serving the current certificate and retrying in {0}: {1}",
          settings.interval(), e.getMessage());
    }
  }

  private io.fabric8.kubernetes.client.dsl.Resource<Secret> secrets() {
    return client.secrets().inNamespace(settings.namespace()).withName(settings.secretName());
  }

  /** The Secret's material when it can serve past the lead time, else null (with the reason logged). */
  private ServingMaterial usable(Secret secret) {
    if (secret == null) {
      LOG.log(System.Logger.Level.INFO, "Secret {0}/{1} does not exist; issuing a serving certificate",
          settings.namespace(), settings.secretName());
      return null;
    }
    String reason;
    try {
      ServingMaterial m = ServingMaterial.fromSecretData(secret.getData());
      reason = m.unusableReason(settings.clock().instant(), settings.lead(), settings.dnsNames());
      if (reason == null) {
        return m;
      }
    } catch (IllegalArgumentException e) {
      reason = e.getMessage();
    }
    LOG.log(System.Logger.Level.INFO, "Secret {0}/{1} is replaced: {2}",
        settings.namespace(), settings.secretName(), reason);
    return null;
  }

  private ServingMaterial issue(Secret previous) {
    List<java.security.cert.X509Certificate> keep = new ArrayList<>();
    if (previous != null) {
      try {
        // The CA being replaced stays trusted while certificates it signed may still be served.
        keep.add(ServingMaterial.fromSecretData(previous.getData()).ca());
      } catch (IllegalArgumentException e) {
        // Unreadable: nothing to keep.
      }
    }
    return ServingMaterial.issue(
        settings.dnsNames().get(0), settings.dnsNames(), settings.clock().instant(), settings.validity(), keep);
  }

  /** Creates or updates the Secret; an update names the version read, so a concurrent write conflicts. */
  private Secret store(Secret previous, ServingMaterial material) {
    if (previous == null) {
      return client.secrets().inNamespace(settings.namespace()).resource(
          new SecretBuilder()
              .withNewMetadata().withName(settings.secretName()).withNamespace(settings.namespace())
              .addToLabels("app.kubernetes.io/managed-by", "signet").endMetadata()
              .withType("Opaque")
              .withData(material.secretData())
              .build()).create();
    }
    Secret next = new SecretBuilder(previous).withData(material.secretData()).withStringData(null).build();
    return client.secrets().inNamespace(settings.namespace()).resource(next).update();
  }

  /** Sets the bundle on each Provider and webhook configuration that exists and differs. */
  private void publishBundle(ServingMaterial material) {
    String bundle = Base64.getEncoder().encodeToString(material.bundlePem().getBytes(StandardCharsets.US_ASCII));
    for (String name : settings.providers()) {
      var ref = client.genericKubernetesResources(PROVIDER).withName(name);
      GenericKubernetesResource provider = ref.get();
      if (provider == null) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) provider.getAdditionalProperties()
          .computeIfAbsent("spec", k -> new java.util.LinkedHashMap<String, Object>());
      if (!bundle.equals(spec.get("caBundle"))) {
        spec.put("caBundle", bundle);
        client.genericKubernetesResources(PROVIDER).resource(provider).update();
        LOG.log(System.Logger.Level.INFO, "Provider {0}: caBundle updated", name);
      }
    }
    for (String name : settings.webhookConfigurations()) {
      var admission = client.admissionRegistration().v1();
      ValidatingWebhookConfiguration validating = admission.validatingWebhookConfigurations().withName(name).get();
      if (validating != null && setBundle(validating.getWebhooks().stream().map(ValidatingWebhook::getClientConfig).toList(), bundle)) {
        admission.validatingWebhookConfigurations().resource(validating).update();
        LOG.log(System.Logger.Level.INFO, "ValidatingWebhookConfiguration {0}: caBundle updated", name);
      }
      MutatingWebhookConfiguration mutating = admission.mutatingWebhookConfigurations().withName(name).get();
      if (mutating != null && setBundle(mutating.getWebhooks().stream().map(MutatingWebhook::getClientConfig).toList(), bundle)) {
        admission.mutatingWebhookConfigurations().resource(mutating).update();
        LOG.log(System.Logger.Level.INFO, "MutatingWebhookConfiguration {0}: caBundle updated", name);
      }
    }
  }

  /** Sets the bundle on every client configuration; true when one changed. */
  private static boolean setBundle(
      List<io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig> configs, String bundle) {
    boolean changed = false;
    for (var config : configs) {
      if (config != null && !bundle.equals(config.getCaBundle())) {
        config.setCaBundle(bundle);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Writes tls.crt and tls.key when they differ, unless the directory is a mounted Secret volume
   * (the kubelet's {@code ..data} link), which the kubelet keeps equal to the Secret.
   */
  private void writeFiles(ServingMaterial material) {
    Path dir = settings.certDir();
    if (Files.exists(dir.resolve("..data"))) {
      return;
    }
    try {
      Files.createDirectories(dir);
      // The key first: until both are written the server's reload sees a mismatch and keeps serving.
      replace(dir.resolve(ServingMaterial.KEY), material.keyPem());
      replace(dir.resolve(ServingMaterial.CERT), material.certificatePem());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the serving certificate to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void replace(Path file, String content) throws IOException {
    if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(content)) {
      return;
    }
    Path tmp = Files.createTempFile(file.getParent(), ".signet-", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
