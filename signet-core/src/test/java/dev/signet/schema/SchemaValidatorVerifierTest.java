package dev.signet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.artifact.Attachments;
import dev.signet.artifact.Attachments.Layer;
import dev.signet.artifact.SupplyChain;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.Vectors;
import dev.signet.result.VerifierReport;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * schemavalidator with the SARIF 2.1.0 schema from Ratify's test data (draft-04), over reports
 * written by Trivy, Grype and ESLint; remote schemas from a local HTTP server.
 */
class SchemaValidatorVerifierTest {
  static final String SARIF = "application/sarif+json";
  static final Clock CLOCK = Clock.systemUTC();

  final Attachments store = new Attachments();

  static byte[] sarifSchema() throws Exception {
    return Files.readAllBytes(Vectors.ratify("test/bats/tests/schemas/sarif-2.1.0-rtm.5.json"));
  }

  VerifierReport judge(Map<String, SchemaSource> schemas, Descriptor referrer, Deadline deadline) throws Exception {
    return new SchemaValidatorVerifier("schema-check", Set.of("*"), Set.of(), schemas)
        .verify(Attachments.SUBJECT, Attachments.SUBJECT_DESCRIPTOR, referrer, store, deadline);
  }

  @Test
  void reportsOfRealToolsConformToTheSarifSchemaAndABrokenOneDoesNot() throws Exception {
    Map<String, SchemaSource> schemas = Map.of(SARIF, new SchemaSource.Loaded(JsonSchema.compile(sarifSchema(), "sarif")));
    for (String file : List.of("trivy-excerpt.sarif.json", "grype-image.sarif.json", "eslint.sarif.json",
        "written-high-only.sarif.json")) {
      Descriptor d = store.attach(SARIF, Map.of(), new Layer(SARIF, SupplyChain.resource("/dev/signet/sarif/" + file)));
      VerifierReport r = judge(schemas, d, Deadline.none(CLOCK));
      assertThat(r.isSuccess()).as(file + ": " + r).isTrue();
      assertThat(r.message()).isEqualTo("schema validation passed for configured media types");
    }
    Descriptor broken = store.attach(SARIF, Map.of(), Layer.of(SARIF,
        "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{}}}],\"colour\":\"blue\"}"));
    VerifierReport r = judge(schemas, broken, Deadline.none(CLOCK));
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.errorReason()).contains("does not conform");
    assertThat(String.join("\n", (List<String>) r.extensions().get("schemaErrors")))
        .contains("colour").contains("name");
  }

  @Test
  void aLayerOfAnotherMediaTypeOrNotJsonFails() throws Exception {
    Map<String, SchemaSource> schemas = Map.of(SARIF, new SchemaSource.Loaded(JsonSchema.compile(sarifSchema(), "sarif")));
    Descriptor other = store.attach(SARIF, Map.of(), Layer.of("application/json", "{}"));
    assertThat(judge(schemas, other, Deadline.none(CLOCK)).errorReason())
        .contains("no schema is configured for media type \"application/json\"");
    Descriptor notJson = store.attach(SARIF, Map.of(), Layer.of(SARIF, "<sarif/>"));
    assertThat(judge(schemas, notJson, Deadline.none(CLOCK)).errorReason()).contains("not valid JSON");
    Descriptor deep = store.attach(SARIF, Map.of(), Layer.of(SARIF, "[".repeat(1000) + "]".repeat(1000)));
    assertThat(judge(schemas, deep, Deadline.none(CLOCK)).errorReason()).contains("not valid JSON");
  }

  @Test
  void aSchemaThatIsNotASchemaIsRefused() {
    assertThatThrownBy(() -> JsonSchema.compile("[1]".getBytes(), "x.json")).hasMessageContaining("must be a JSON object");
    // references outside the document are not fetched
    assertThatThrownBy(() -> JsonSchema.compile(
            "{\"properties\":{\"a\":{\"$ref\":\"https://schemas.example/other.json\"}}}".getBytes(), "x.json"))
        .hasMessageContaining("x.json cannot be used");
  }

  @Test
  void aRemoteSchemaIsFetchedOnceWithinTheDeadline() throws Exception {
    byte[] schema = sarifSchema();
    LocalHttpServer server = new LocalHttpServer();
    server.serve("/sarif.json", schema);
    server.slow("/slow.json");
    try {
      String base = server.url("");
      Descriptor trivy = store.attach(SARIF, Map.of(),
          new Layer(SARIF, SupplyChain.resource("/dev/signet/sarif/trivy-excerpt.sarif.json")));
      Map<String, SchemaSource> remote = Map.of(SARIF, new SchemaSource.Remote(URI.create(base + "/sarif.json")));
      for (int i = 0; i < 3; i++) {
        VerifierReport r = judge(remote, trivy, Deadline.after(CLOCK, Duration.ofSeconds(30)));
        assertThat(r.isSuccess()).as(r.toString()).isTrue();
      }
      assertThat(server.hits("/sarif.json")).isEqualTo(1);

      Map<String, SchemaSource> slow = Map.of(SARIF, new SchemaSource.Remote(URI.create(base + "/slow.json")));
      assertThatThrownBy(() -> judge(slow, trivy, Deadline.after(CLOCK, Duration.ofMillis(300))))
          .isInstanceOf(DeadlineExceededException.class);

      Map<String, SchemaSource> missing = Map.of(SARIF, new SchemaSource.Remote(URI.create(base + "/missing.json")));
      VerifierReport r = judge(missing, trivy, Deadline.after(CLOCK, Duration.ofSeconds(30)));
      assertThat(r.isSuccess()).isFalse();
      assertThat(r.errorReason()).contains("answered HTTP 404");
    } finally {
      server.close();
    }
  }
}
