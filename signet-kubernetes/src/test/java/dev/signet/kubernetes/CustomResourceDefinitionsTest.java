package dev.signet.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD YAML in deploy/crds is what fabric8's CRD generator makes of the Java model
 * ({@code dev.signet.kubernetes.resource}), and it declares what Ratify v1.4.0's CRDs declare: the
 * same group, kinds, names, scopes, versions, spec and status fields, printer columns and status
 * subresource, so {@code kubectl delete crd stores.config.ratify.deislabs.io ...} names them too.
 * Set SIGNET_WRITE_CRDS=1 to write deploy/crds after changing the model.
 */
class CustomResourceDefinitionsTest {
  static final Path SHIPPED = ControllerFixture.repo().resolve("deploy/crds");
  static final Path RATIFY =
      ControllerFixture.repo().resolve("testdata/vectors/ratify-v1.4.0/charts/ratify/crds");
  static final KubernetesSerialization YAML = new KubernetesSerialization();

  @TempDir Path dir;

  static List<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> model() {
    return List.of(
        dev.signet.kubernetes.resource.Store.class,
        dev.signet.kubernetes.resource.NamespacedStore.class,
        dev.signet.kubernetes.resource.Verifier.class,
        dev.signet.kubernetes.resource.NamespacedVerifier.class,
        dev.signet.kubernetes.resource.Policy.class,
        dev.signet.kubernetes.resource.NamespacedPolicy.class,
        dev.signet.kubernetes.resource.KeyManagementProvider.class,
        dev.signet.kubernetes.resource.NamespacedKeyManagementProvider.class,
        dev.signet.kubernetes.resource.CertificateStore.class,
        dev.signet.kubernetes.resource.v1alpha1.Store.class,
        dev.signet.kubernetes.resource.v1alpha1.Verifier.class,
        dev.signet.kubernetes.resource.v1alpha1.Policy.class,
        dev.signet.kubernetes.resource.v1alpha1.CertificateStore.class);
  }

  static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).toList()) {
        out.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return out;
  }

  Map<String, String> generate() throws IOException {
    new CRDGenerator()
        .inOutputDir(dir.toFile())
        .forCRDVersions("v1")
        .withPostProcessor(
            new io.fabric8.crdv2.generator.CRDPostProcessor() {
              @Override
              public io.fabric8.kubernetes.api.model.HasMetadata process(
                  io.fabric8.kubernetes.api.model.HasMetadata crd, String crdVersion) {
                return dateTimeFormat(crd);
              }
            })
        .customResourceClasses(model())
        .generate();
    return files(dir);
  }

  /**
   * The generator writes no {@code format} for a time held as text; Ratify's CRDs declare
   * {@code lastfetchedtime} as {@code date-time}, so it is added here.
   */
  private static io.fabric8.kubernetes.api.model.HasMetadata dateTimeFormat(
      io.fabric8.kubernetes.api.model.HasMetadata resource) {
    if (resource instanceof CustomResourceDefinition crd) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        JSONSchemaProps status = status(v);
        if (status != null && status.getProperties() != null
            && status.getProperties().containsKey("lastfetchedtime")) {
          status.getProperties().get("lastfetchedtime").setFormat("date-time");
        }
      }
    }
    return resource;
  }

  @Test
  void the_shipped_crds_are_generated_from_the_java_model() throws Exception {
    Map<String, String> generated = generate();
    if ("1".equals(System.getenv("SIGNET_WRITE_CRDS"))) {
      Files.createDirectories(SHIPPED);
      for (var e : generated.entrySet()) {
        Files.writeString(SHIPPED.resolve(e.getKey()), e.getValue());
      }
    }
    assertThat(files(SHIPPED)).isEqualTo(generated);
  }

  @Test
  void the_shipped_crds_declare_what_ratifys_crds_declare() throws Exception {
    generate();
    Map<String, CustomResourceDefinition> ours = byName(dir);
    Map<String, CustomResourceDefinition> ratify = byName(RATIFY);
    assertThat(ours.keySet()).isEqualTo(ratify.keySet()).hasSize(9);
    for (String name : ratify.keySet()) {
      var a = ours.get(name).getSpec();
      var b = ratify.get(name).getSpec();
      assertThat(a.getGroup()).as(name).isEqualTo(b.getGroup());
      assertThat(a.getScope()).as(name).isEqualTo(b.getScope());
      assertThat(a.getNames().getKind()).as(name).isEqualTo(b.getNames().getKind());
      assertThat(a.getNames().getPlural()).as(name).isEqualTo(b.getNames().getPlural());
      assertThat(a.getNames().getSingular()).as(name).isEqualTo(b.getNames().getSingular());
      assertThat(versions(a.getVersions())).as(name).isEqualTo(versions(b.getVersions()));
      for (CustomResourceDefinitionVersion theirs : b.getVersions()) {
        CustomResourceDefinitionVersion mine = a.getVersions().stream()
            .filter(v -> v.getName().equals(theirs.getName())).findFirst().orElseThrow();
        String at = name + " " + theirs.getName();
        assertThat(columns(mine)).as(at).isEqualTo(columns(theirs));
        assertThat(mine.getSubresources() != null && mine.getSubresources().getStatus() != null)
            .as(at + " status subresource")
            .isEqualTo(theirs.getSubresources() != null && theirs.getSubresources().getStatus() != null);
        JSONSchemaProps mySchema = mine.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        JSONSchemaProps theirSchema = theirs.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        // Every field Ratify declares is declared with the same type (v1alpha1: Signet's model is the
        // v1beta1 one, a superset).
        assertThat(fields(mySchema)).as(at + " spec").containsAllEntriesOf(fields(theirSchema));
        if (theirs.getName().equals("v1beta1")) {
          assertThat(fields(mySchema)).as(at + " spec").isEqualTo(fields(theirSchema));
          assertThat(fields(status(mine))).as(at + " status").isEqualTo(fields(status(theirs)));
        }
      }
    }
  }

  private static JSONSchemaProps status(CustomResourceDefinitionVersion v) {
    return v.getSchema().getOpenAPIV3Schema().getProperties().get("status");
  }

  private static Map<String, CustomResourceDefinition> byName(Path dir) throws IOException {
    Map<String, CustomResourceDefinition> out = new TreeMap<>();
    for (String text : files(dir).values()) {
      CustomResourceDefinition crd = YAML.unmarshal(text, CustomResourceDefinition.class);
      out.put(crd.getMetadata().getName(), crd);
    }
    return out;
  }

  /** name -> served/storage/deprecated */
  private static Map<String, String> versions(List<CustomResourceDefinitionVersion> vs) {
    Map<String, String> out = new TreeMap<>();
    for (var v : vs) {
      out.put(v.getName(), "served=" + v.getServed() + " storage=" + v.getStorage()
          + " deprecated=" + Boolean.TRUE.equals(v.getDeprecated()));
    }
    return out;
  }

  private static List<String> columns(CustomResourceDefinitionVersion v) {
    return v.getAdditionalPrinterColumns() == null ? List.of()
        : v.getAdditionalPrinterColumns().stream()
            .map((CustomResourceColumnDefinition c) -> c.getName() + " " + c.getJsonPath() + " " + c.getType())
            .sorted().toList();
  }

  /** field -> type[/format][ preserve-unknown] */
  private static Map<String, String> fields(JSONSchemaProps schema) {
    Map<String, String> out = new TreeMap<>();
    if (schema == null || schema.getProperties() == null) {
      return out;
    }
    schema.getProperties().forEach((k, v) -> out.put(k, v.getType()
        + (v.getFormat() == null ? "" : "/" + v.getFormat())
        + (Boolean.TRUE.equals(v.getXKubernetesPreserveUnknownFields()) ? " preserve-unknown" : "")));
    return out;
  }
}
