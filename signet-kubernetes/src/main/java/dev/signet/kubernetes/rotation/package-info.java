/**
 * Serving certificate rotation in Kubernetes mode (Ratify's {@code RATIFY_CERT_ROTATION}): Signet
 * keeps its own CA and serving certificate in a Secret, replaces them before they expire, and keeps
 * the CA bundle of Gatekeeper's Providers and of its own admission webhook configurations current.
 */
package dev.signet.kubernetes.rotation;
