/**
 * The HTTP face of Signet: the Gatekeeper external data provider, Kubernetes admission webhooks,
 * health and metrics. Nothing below this module knows about HTTP servers or Kubernetes.
 */
package dev.signet.server;
