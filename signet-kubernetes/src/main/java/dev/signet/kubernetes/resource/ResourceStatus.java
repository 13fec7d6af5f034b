package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Ratify's status of a Store, Verifier or Policy: whether it is in use, and why not. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceStatus {
  @Required
  @JsonPropertyDescription("Whether the resource is in use")
  public boolean issuccess;

  @JsonPropertyDescription("Error message if the resource is not in use")
  public String error;

  @JsonPropertyDescription("Truncated error message if the message is too long")
  public String brieferror;
}
