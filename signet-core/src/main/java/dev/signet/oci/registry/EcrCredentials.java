package dev.signet.oci.registry;

// Ratify's awsEcrBasic auth provider (ratify-reference §1.6): IRSA web identity -> STS
// AssumeRoleWithWebIdentity -> ECR GetAuthorizationToken -> basic credentials.

import dev.signet.cloud.CloudException;
import dev.signet.cloud.aws.EcrClient;
import dev.signet.cloud.aws.WebIdentity;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.StoreException;
import java.time.Clock;
import java.time.Duration;

/**
 * Basic credentials for ECR registries from the pod's IAM role. ECR answers one password for
 * every registry the role can read in the region; it is cached until 5 minutes before it expires.
 */
public final class EcrCredentials extends CloudCredentials {
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private final WebIdentity identity;
  private final EcrClient ecr;
  private EcrClient.Authorization cached;

  public EcrCredentials(WebIdentity identity, EcrClient ecr, Clock clock) {
    super("awsEcrBasic", clock);
    this.identity = identity;
    this.ecr = ecr;
  }

  @Override
  public synchronized Credential credentialFor(
      String registry, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    if (cached == null || !clock().instant().isBefore(cached.expiresAt().minus(RENEW_BEFORE))) {
      try {
        cached = ecr.authorizationToken(identity, deadline);
      } catch (CloudException e) {
        throw new StoreException("awsEcrBasic: " + e.getMessage(), e);
      }
    }
    return new Credential.Basic(cached.user(), cached.password());
  }

  @Override
  public synchronized void evict(String registry) {
    cached = null;
  }

  @Override
  public String remedy(String registry) {
    return "the " + identity.describe() + " needs pull access to " + registry
        + " (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer; e.g. AmazonEC2ContainerRegistryReadOnly)";
  }

  @Override
  public String describe() {
    return "awsEcrBasic with " + identity.describe();
  }
}
