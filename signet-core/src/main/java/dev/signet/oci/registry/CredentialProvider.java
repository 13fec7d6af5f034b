package dev.signet.oci.registry;

import dev.signet.oci.StoreException;

/** Finds the credential for a registry host (with port, as written in image references). */
@FunctionalInterface
public interface CredentialProvider {

  /** The credential for {@code registry}; {@link Credential#ANONYMOUS} when none is configured. */
  Credential credentialFor(String registry) throws StoreException;

  /** Forgets a cached credential after the registry rejected it (401/403). */
  default void evict(String registry) {}

  static CredentialProvider anonymous() {
    return registry -> Credential.ANONYMOUS;
  }
}
