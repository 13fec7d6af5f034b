/**
 * TLS serving material shared by the server's listeners ({@code server.ServerTls}) and the
 * Kubernetes certificate rotation ({@code kubernetes.rotation.ServingMaterial}).
 */
package dev.signet.tls;
