package dev.signet.kubernetes.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** {@code spec} of a Verifier or NamespacedVerifier: a store plugin's fields and its artifact types. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerifierSpec extends PluginSpec {
  @Required
  @JsonPropertyDescription("The type of artifact this verifier handles (comma-separated)")
  public String artifactTypes;
}
