package dev.signet.kubernetes;

import dev.signet.kubernetes.resource.CertificateStore;
import dev.signet.kubernetes.resource.KeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedKeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedPolicy;
import dev.signet.kubernetes.resource.NamespacedStore;
import dev.signet.kubernetes.resource.NamespacedVerifier;
import dev.signet.kubernetes.resource.Policy;
import dev.signet.kubernetes.resource.Store;
import dev.signet.kubernetes.resource.Verifier;
import java.util.List;

/** The resources of every kind as the watches see them at one moment. */
record Snapshot(
    List<Store> stores,
    List<NamespacedStore> namespacedStores,
    List<Verifier> verifiers,
    List<NamespacedVerifier> namespacedVerifiers,
    List<Policy> policies,
    List<NamespacedPolicy> namespacedPolicies,
    List<KeyManagementProvider> providers,
    List<NamespacedKeyManagementProvider> namespacedProviders,
    List<CertificateStore> certificateStores) {}
