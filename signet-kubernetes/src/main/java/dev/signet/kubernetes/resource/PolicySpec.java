package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.Map;

/** {@code spec} of a Policy or NamespacedPolicy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicySpec {
  @JsonPropertyDescription("Type of the policy provider: config-policy or rego-policy")
  public String type;

  @JsonPropertyDescription("Parameters of the policy provider")
  @PreserveUnknownFields
  public Map<String, Object> parameters;
}
