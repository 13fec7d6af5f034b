/**
 * Ratify's deprecated {@code v1alpha1} versions, still served by its CRDs for Store, Verifier,
 * Policy and CertificateStore. They exist for the CRD YAML only: the API server serves every object
 * at {@code v1beta1} too (conversion strategy None), which is what the controller reads.
 */
package dev.signet.kubernetes.resource.v1alpha1;
