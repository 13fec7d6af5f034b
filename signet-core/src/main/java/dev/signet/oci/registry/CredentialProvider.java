package dev.signet.oci.registry;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.StoreException;

/** Finds the credential for a registry host (with port, as written in image references). */
@FunctionalInterface
public interface CredentialProvider {

  /** The credential for {@code registry}; {@link Credential#ANONYMOUS} when none is configured. */
  Credential credentialFor(String registry) throws StoreException;

  /**
   * The credential to answer {@code registry}'s Bearer challenge with. Providers that exchange a
   * cloud identity for a registry credential first (ACR) read the challenge's realm and service
   * and spend from {@code deadline}; the others answer {@link #credentialFor(String)}.
   */
  default Credential credentialFor(String registry, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return credentialFor(registry);
  }

  /** Forgets a cached credential after the registry rejected it (401/403). */
  default void evict(String registry) {}

  /** What a user should check when {@code registry} rejects the credential. */
  default String remedy(String registry) {
    return "check the credentials configured for " + registry;
  }

  /** The identity this provider presents, for {@code --verbose} (never a secret). */
  default String describe() {
    return "";
  }

  static CredentialProvider anonymous() {
    return registry -> Credential.ANONYMOUS;
  }
}
