package dev.signet.cloud.azure;

import dev.signet.cloud.CloudException;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;

/** How the process proves its identity to Microsoft Entra ID. */
public sealed interface EntraCredential permits WorkloadIdentity, ManagedIdentity {

  /**
   * A fresh token for {@code scope} (e.g. {@code https://vault.azure.net/.default}); every call
   * asks Entra ID, {@link EntraTokens} caches.
   */
  AccessToken fetch(String scope, Deadline deadline) throws CloudException, DeadlineExceededException;

  /** The client id the tokens are for. */
  String clientId();

  /** The tenant, or null when the endpoint decides (managed identity). */
  String tenantId();

  /** Which identity and tenant, for {@code --verbose} and messages (no secrets). */
  String describe();
}
