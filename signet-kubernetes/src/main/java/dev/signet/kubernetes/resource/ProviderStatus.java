package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.time.OffsetDateTime;
import java.util.Map;

/** Ratify's status of a key management provider or certificate store. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderStatus extends ResourceStatus {
  @JsonPropertyDescription(
      "The time of the last successful fetch of certificates and keys; after a failure, the time"
          + " of the failure")
  @SchemaFrom(type = OffsetDateTime.class)
  public String lastfetchedtime;

  @JsonPropertyDescription("Provider-specific properties of each certificate and key")
  @PreserveUnknownFields
  public Map<String, Object> properties;
}
