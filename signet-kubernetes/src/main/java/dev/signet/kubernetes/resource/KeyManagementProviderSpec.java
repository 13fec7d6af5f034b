package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.Map;

/** {@code spec} of a KeyManagementProvider or NamespacedKeyManagementProvider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyManagementProviderSpec {
  @JsonPropertyDescription("Type of the key management provider: inline or azurekeyvault")
  public String type;

  @JsonPropertyDescription("How often to fetch the certificates and keys again, optional")
  public String refreshInterval;

  @JsonPropertyDescription("Parameters of the key management provider")
  @PreserveUnknownFields
  public Map<String, Object> parameters;
}
