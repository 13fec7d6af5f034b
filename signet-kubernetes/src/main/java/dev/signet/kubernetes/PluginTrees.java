package dev.signet.kubernetes;

import dev.signet.json.StrictJson;
import dev.signet.kubernetes.KeyProviders.Fetched;
import dev.signet.kubernetes.resource.PluginSpec;
import dev.signet.kubernetes.resource.PolicySpec;
import dev.signet.kubernetes.resource.VerifierSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One resource to one plugin tree of config.json: a Store to a {@code store.plugins} entry, a
 * Verifier to a {@code verifier.plugins} entry (the key management providers it names replaced by
 * their certificate files and public keys), a Policy to the {@code policy.plugin}.
 */
final class PluginTrees {
  static final String POLICY_NAME = "ratify-policy";
  private static final Set<String> STORE_TYPES = Set.of("ca", "tsa", "signingAuthority");

  private PluginTrees() {}

  /** A resource that cannot be used, and why. */
  static class InvalidResource extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidResource(String message) {
      super(message);
    }
  }

  /**
   * A verifier naming a provider that holds nothing (its certificates were removed from the vault,
   * or it never fetched any), or a cosign verifier naming one that holds no keys: the verifier's
   * last good version does not stand in, because that would keep trusting what the provider no
   * longer has.
   */
  static final class EmptyProvider extends InvalidResource {
    private static final long serialVersionUID = 1L;

    EmptyProvider(String message) {
      super(message);
    }
  }

  /**
   * The cosign verifier's {@code trustPolicies[].keys[]} entries that name a provider ({@code
   * {"provider": "NAME"}}) become the provider's public keys, inline ({@code "pem"}).
   */
  private static void cosignKeys(
      ObjectNode plugin, String namespace, Map<String, Fetched> providers) throws InvalidResource {
    JsonNode policies = plugin.get("trustPolicies");
    if (policies == null || !policies.isArray()) {
      return;
    }
    int i = 0;
    for (JsonNode policy : policies) {
      String at = "spec.parameters.trustPolicies[" + i++ + "].keys";
      if (!(policy instanceof ObjectNode p) || !(p.get("keys") instanceof ArrayNode keys)) {
        continue;
      }
      ArrayNode resolved = StrictJson.MAPPER.createArrayNode();
      for (JsonNode key : keys) {
        String ref = key.path("provider").asString("");
        if (ref.isEmpty()) {
          resolved.add(key);
          continue;
        }
        if (key.has("name") || key.has("version")) {
          // Trusting every key of the provider instead of the one named would trust too much.
          throw new InvalidResource(at + ": choosing one key of provider \"" + ref + "\" by name"
              + " or version is not supported; list only that key in a KeyManagementProvider of"
              + " its own and name the provider alone");
        }
        Fetched f = provider(ref, at, namespace, providers);
        if (f.keyPems().isEmpty()) {
          // Its keys were disabled or removed: the verifier's earlier keys must not stand in.
          throw new EmptyProvider(at + " names key management provider \"" + ref + "\", which"
              + " holds no public keys" + (f.outcome().error().isEmpty() ? ""
                  : ": " + f.outcome().error()));
        }
        for (String pem : f.keyPems()) {
          resolved.addObject().put("provider", ref).put("pem", pem);
        }
      }
      p.set("keys", resolved);
    }
  }

  static Object spec(HasMetadata r) {
    return ((CustomResource<?, ?>) r).getSpec();
  }

  private static ObjectNode parameters(Map<String, Object> parameters) {
    return parameters == null
        ? StrictJson.MAPPER.createObjectNode()
        : (ObjectNode) StrictJson.MAPPER.valueToTree(parameters);
  }

  private static void noDownloads(PluginSpec spec) throws InvalidResource {
    if (spec.source != null || (spec.address != null && !spec.address.isEmpty())) {
      throw new InvalidResource(
          "spec.source and spec.address name a plugin to download; Signet runs only its built-in"
              + " plugins (stores: oras, ocilayout; verifiers: notation, cosign, sbom, licensechecker,"
              + " vulnerabilityreport, schemavalidator): remove them");
    }
  }

  static ObjectNode storePlugin(PluginSpec spec) throws InvalidResource {
    if (spec == null || spec.name == null || spec.name.isBlank()) {
      throw new InvalidResource("spec.name is required: the store plugin, such as oras");
    }
    noDownloads(spec);
    ObjectNode plugin = parameters(spec.parameters);
    plugin.put("name", spec.name);
    return plugin;
  }

  static ObjectNode verifierPlugin(
      HasMetadata r, VerifierSpec spec, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    if (spec == null || spec.name == null || spec.name.isBlank()) {
      throw new InvalidResource("spec.name is required: the verifier plugin, such as notation");
    }
    if (spec.artifactTypes == null || spec.artifactTypes.isBlank()) {
      throw new InvalidResource(
          "spec.artifactTypes is required, such as application/vnd.cncf.notary.signature");
    }
    noDownloads(spec);
    ObjectNode plugin = parameters(spec.parameters);
    // Ratify reports the resource's name as the verifier's name and spec.name as its type.
    plugin.put("name", r.getMetadata().getName());
    plugin.put("type", spec.name);
    plugin.put("artifactTypes", spec.artifactTypes);
    JsonNode stores = plugin.get("verificationCertStores");
    if (stores != null) {
      if (!stores.isObject()) {
        throw new InvalidResource("spec.parameters.verificationCertStores must be an object");
      }
      plugin.set("verificationCertStores", certStores((ObjectNode) stores, namespace, providers));
    }
    if ("cosign".equals(spec.name)) {
      cosignKeys(plugin, namespace, providers);
    }
    return plugin;
  }

  /**
   * {@code {"ca": {"STORE": ["PROVIDER", "NS/PROVIDER"]}}} (or the legacy {@code {"STORE": [...]}})
   * with each provider replaced by the file of its certificates.
   */
  private static ObjectNode certStores(
      ObjectNode stores, String namespace, Map<String, Fetched> providers) throws InvalidResource {
    boolean typed = stores.propertyNames().stream().anyMatch(STORE_TYPES::contains);
    if (!typed) {
      return named(stores, "verificationCertStores", namespace, providers);
    }
    ObjectNode out = StrictJson.MAPPER.createObjectNode();
    for (String type : stores.propertyNames()) {
      JsonNode named = stores.get(type);
      if (!named.isObject()) {
        throw new InvalidResource(
            "spec.parameters.verificationCertStores." + type + " must be an object of named stores");
      }
      out.set(
          type,
          named((ObjectNode) named, "verificationCertStores." + type, namespace, providers));
    }
    return out;
  }

  private static ObjectNode named(
      ObjectNode stores, String path, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    ObjectNode out = StrictJson.MAPPER.createObjectNode();
    for (String store : stores.propertyNames()) {
      JsonNode refs = stores.get(store);
      String at = "spec.parameters." + path + "." + store;
      if (!refs.isArray()) {
        throw new InvalidResource(at + " must be a list of key management provider names");
      }
      ArrayNode files = out.putArray(store);
      for (JsonNode ref : refs) {
        files.add(providerFile(ref.asString(""), at, namespace, providers).toString());
      }
    }
    return out;
  }

  private static Path providerFile(
      String ref, String at, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    Fetched f = provider(ref, at, namespace, providers);
    if (f.pem() == null) {
      throw new EmptyProvider(
          at + " names key management provider \"" + ref + "\", which holds no certificates"
              + (f.outcome().success() ? "" : ": " + f.outcome().error()));
    }
    return f.pem();
  }

  /** The ready provider a verifier names, from its own namespace or the cluster. */
  private static Fetched provider(
      String ref, String at, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    int slash = ref.indexOf('/');
    if (!namespace.isEmpty() && slash >= 0 && !ref.substring(0, slash).equals(namespace)) {
      throw new InvalidResource(
          at + " names \"" + ref + "\", a provider of another namespace; a namespaced verifier may"
              + " name the providers of its own namespace (" + namespace + "/NAME) and cluster-wide"
              + " ones (NAME)");
    }
    Fetched f = providers.get(ref);
    if (f == null) {
      throw new InvalidResource(
          at + " names key management provider \"" + ref + "\", which does not exist (name a"
              + " cluster-wide KeyManagementProvider as NAME, a NamespacedKeyManagementProvider as"
              + " NAMESPACE/NAME)");
    }
    if (!f.usable()) {
      throw new EmptyProvider(
          at + " names key management provider \"" + ref + "\", which holds no certificates or"
              + " keys: " + f.outcome().error());
    }
    return f;
  }

  static ObjectNode policyPlugin(HasMetadata r, PolicySpec spec) throws InvalidResource {
    if (!POLICY_NAME.equals(r.getMetadata().getName())) {
      throw new InvalidResource(
          "a policy is used only when named " + POLICY_NAME + "; this one is named \""
              + r.getMetadata().getName() + "\"");
    }
    if (spec == null || spec.type == null || spec.type.isBlank()) {
      throw new InvalidResource("spec.type is required: config-policy (or cel-policy)");
    }
    ObjectNode plugin = parameters(spec.parameters);
    plugin.put("name", spec.type);
    return plugin;
  }
}
