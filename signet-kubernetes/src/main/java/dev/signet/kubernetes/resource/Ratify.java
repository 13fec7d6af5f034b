package dev.signet.kubernetes.resource;

/** Ratify's API group and the version Signet reads and writes (the CRDs' storage version). */
public final class Ratify {
  public static final String GROUP = "config.ratify.deislabs.io";
  public static final String VERSION = "v1beta1";

  /** The kinds Signet reads. */
  public static final java.util.List<Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>>> KINDS =
      java.util.List.of(
          Store.class, NamespacedStore.class, Verifier.class, NamespacedVerifier.class, Policy.class,
          NamespacedPolicy.class, KeyManagementProvider.class, NamespacedKeyManagementProvider.class,
          CertificateStore.class);

  private Ratify() {}
}
