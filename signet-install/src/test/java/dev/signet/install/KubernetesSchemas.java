package dev.signet.install;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks rendered objects against the schemas the API server would apply: Kubernetes' own kinds
 * against the fabric8 model (generated from the Kubernetes API's OpenAPI), read with unknown fields
 * rejected; custom resources against the openAPIV3Schema of the chart's CRDs, with the fields the API
 * server would prune reported as errors (a pruned field is a setting silently lost).
 */
final class KubernetesSchemas {
  private static final Map<String, Class<?>> KUBERNETES_KINDS =
      Map.ofEntries(
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
          Map.entry(
              "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
              ValidatingWebhookConfiguration.class),
          Map.entry(
              "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
              MutatingWebhookConfiguration.class),
          Map.entry(
              "apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class));

  /** The fabric8 model keeps unknown fields in a map; without that map they are errors. */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .annotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                  return Boolean.FALSE;
                }
              })
          .build();

  private final Map<String, Schema> customResources;
  private final List<JsonNode> crds;

  private KubernetesSchemas(Map<String, Schema> customResources, List<JsonNode> crds) {
    this.customResources = customResources;
    this.crds = crds;
  }

  /** The schemas of the CRDs in {@code dir} (charts/signet/crds). */
  static KubernetesSchemas fromCrds(Path dir) throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    Map<String, Schema> schemas = new HashMap<>();
    List<JsonNode> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        JsonNode crd = new YAMLMapper().readTree(Files.readString(file));
        crds.add(crd);
        String group = crd.path("spec").path("group").asString();
        String kind = crd.path("spec").path("names").path("kind").asString();
        for (JsonNode version : crd.path("spec").path("versions")) {
          JsonNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
          // The API server accepts apiVersion, kind and metadata on every object whether or not
          // the CRD's schema lists them.
          if (schema instanceof tools.jackson.databind.node.ObjectNode root) {
            tools.jackson.databind.node.ObjectNode props = root.has("properties")
                ? (tools.jackson.databind.node.ObjectNode) root.get("properties")
                : root.putObject("properties");
            if (!props.has("apiVersion")) {
              props.putObject("apiVersion").put("type", "string");
            }
            if (!props.has("kind")) {
              props.putObject("kind").put("type", "string");
            }
            if (!props.has("metadata")) {
              props.putObject("metadata").put("type", "object")
                  .put("x-kubernetes-preserve-unknown-fields", true);
            }
          }
          closeObjects(schema);
          schemas.put(
              group + "/" + version.path("name").asString() + "/" + kind, registry.getSchema(schema));
        }
      }
    }
    return new KubernetesSchemas(Map.copyOf(schemas), List.copyOf(crds));
  }

  List<JsonNode> crds() {
    return crds;
  }

  /** Errors of one object; empty when the API server would store it as rendered. */
  List<String> errors(JsonNode object) {
    String key = object.path("apiVersion").asString() + "/" + object.path("kind").asString();
    Class<?> type = KUBERNETES_KINDS.get(key);
    if (type != null) {
      try {
        STRICT.treeToValue(object, type);
        return List.of();
      } catch (RuntimeException e) {
        return List.of(key + ": " + e.getMessage());
      }
    }
    Schema schema = customResources.get(key);
    if (schema == null) {
      return List.of(key + ": no schema known for this kind");
    }
    return schema.validate(object).stream().map(e -> key + ": " + e).toList();
  }

  boolean knows(JsonNode object) {
    String key = object.path("apiVersion").asString() + "/" + object.path("kind").asString();
    return KUBERNETES_KINDS.containsKey(key) || customResources.containsKey(key);
  }

  /**
   * Structural schemas prune unknown fields instead of rejecting them; here they are rejected, except
   * under x-kubernetes-preserve-unknown-fields (free-form parameters) and metadata.
   */
  private static void closeObjects(JsonNode schema) {
    if (!(schema instanceof ObjectNode node)) {
      return;
    }
    if (node.has("properties")
        && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !node.has("additionalProperties")) {
      node.put("additionalProperties", false);
    }
    node.path("properties")
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("metadata")) {
                closeObjects(e.getValue());
              }
            });
    closeObjects(node.path("items"));
    closeObjects(node.path("additionalProperties"));
  }
}
