package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** {@code spec} of a Store or NamespacedStore: a store plugin and its parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PluginSpec {
  @Required
  @JsonPropertyDescription("Name of the plugin")
  public String name;

  @JsonPropertyDescription("Version of the plugin. Optional")
  public String version;

  @JsonPropertyDescription("Plugin path, optional")
  public String address;

  @JsonPropertyDescription("OCI Artifact source to download the plugin from, optional")
  public PluginSource source;

  @JsonPropertyDescription("Parameters of the plugin")
  @PreserveUnknownFields
  public Map<String, Object> parameters;
}
