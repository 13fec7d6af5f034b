package dev.signet.oci.registry;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.StoreException;
import java.time.Clock;
import java.time.Duration;

/**
 * A credential provider that asks a cloud service (Entra ID and ACR, STS and ECR, the Kubernetes
 * API) over the network; asked without a deadline it spends at most 30 seconds.
 */
abstract class CloudCredentials implements CredentialProvider {
  private static final Duration STANDALONE_BUDGET = Duration.ofSeconds(30);

  private final String providerName;
  private final Clock clock;

  CloudCredentials(String providerName, Clock clock) {
    this.providerName = providerName;
    this.clock = clock;
  }

  @Override
  public final Credential credentialFor(String registry) throws StoreException {
    try {
      return credentialFor(registry, null, Deadline.after(clock, STANDALONE_BUDGET));
    } catch (DeadlineExceededException e) {
      throw new StoreException(providerName + ": " + e.getMessage());
    }
  }

  @Override
  public abstract Credential credentialFor(String registry, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException;

  Clock clock() {
    return clock;
  }
}
