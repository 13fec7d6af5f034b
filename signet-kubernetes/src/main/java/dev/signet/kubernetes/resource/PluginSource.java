package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.Map;

/** Where Ratify downloads a plugin from ({@code spec.source}); Signet runs no downloaded plugins. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PluginSource {
  @JsonPropertyDescription("OCI Artifact source to download the plugin from")
  public String artifact;

  @JsonPropertyDescription("AuthProvider to use to authenticate to the OCI Artifact source, optional")
  @PreserveUnknownFields
  public Map<String, Object> authProvider;
}
