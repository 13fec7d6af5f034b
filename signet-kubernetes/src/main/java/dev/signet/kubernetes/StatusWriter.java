package dev.signet.kubernetes;

import dev.signet.kubernetes.resource.ProviderStatus;
import dev.signet.kubernetes.resource.ResourceStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Objects;

/** Writes Ratify's status fields of a resource, only when they change. */
final class StatusWriter {
  private static final System.Logger LOG = System.getLogger(StatusWriter.class.getName());
  /** Ratify's brief error: the first 30 characters and an ellipsis. */
  private static final int BRIEF = 30;

  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  void write(CustomResource resource, Outcome outcome) {
    ResourceStatus status =
        resource.getStatus() instanceof ProviderStatus || isProvider(resource)
            ? providerStatus(outcome)
            : new ResourceStatus();
    status.issuccess = outcome.success();
    if (!outcome.success()) {
      status.error = outcome.error();
      status.brieferror =
          outcome.error().length() > BRIEF ? outcome.error().substring(0, BRIEF) + "..." : outcome.error();
    }
    if (same(resource.getStatus(), status)) {
      return;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        CustomResource latest = client.resource(resource).get();
        if (latest == null) {
          return; // deleted meanwhile
        }
        if (same(latest.getStatus(), status)) {
          return;
        }
        latest.setStatus(status);
        client.resource(latest).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          continue; // changed meanwhile: read it again
        }
        // No permission, or the API server is away: the next build writes it again.
        LOG.log(
            System.Logger.Level.WARNING,
            "cannot update the status of {0}: {1}",
            ResourceId.of(resource),
            e.getMessage());
        return;
      }
    }
  }

  private static boolean isProvider(CustomResource<?, ?> resource) {
    return resource.getKind().endsWith("KeyManagementProvider")
        || resource.getKind().equals("CertificateStore");
  }

  private static ProviderStatus providerStatus(Outcome outcome) {
    ProviderStatus s = new ProviderStatus();
    if (outcome.fetchedAt() != null) {
      s.lastfetchedtime =
          DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
              outcome.fetchedAt().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }
    if (!outcome.properties().isEmpty()) {
      s.properties = new LinkedHashMap<>(outcome.properties());
    }
    return s;
  }

  private static boolean same(Object current, ResourceStatus wanted) {
    if (current == null) {
      return false;
    }
    var mapper = dev.signet.json.StrictJson.MAPPER;
    return Objects.equals(mapper.valueToTree(current), mapper.valueToTree(wanted));
  }
}
