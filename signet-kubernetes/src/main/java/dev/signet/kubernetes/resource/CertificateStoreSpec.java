package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.Map;

/** {@code spec} of the deprecated CertificateStore. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CertificateStoreSpec {
  @JsonPropertyDescription("Name of the certificate store provider: inline or azurekeyvault")
  public String provider;

  @JsonPropertyDescription("Parameters of the certificate store provider")
  @PreserveUnknownFields
  public Map<String, Object> parameters;
}
