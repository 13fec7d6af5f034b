package dev.signet.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.DecisionServer;
import dev.signet.cli.Main;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.server.HostPort;
import dev.signet.server.SignetServer;
import dev.signet.server.admission.AdmissionMode;
import dev.signet.testkit.Vectors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The ConstraintTemplates, ours (deploy/gatekeeper) and Ratify's, evaluated by the real OPA engine
 * against the live answers of Signet's Gatekeeper provider: the server runs on 127.0.0.1 with TLS
 * on the demo's images (signed by the trusted identity, unsigned, signed by an untrusted
 * certificate), and the templates' external_data call reaches it over HTTPS as Gatekeeper's does.
 */
class PolicyLibraryTest {
  private static final String SIGNED = "demo.signet.local/signed:v1";
  private static final String UNSIGNED = "demo.signet.local/unsigned:v1";
  private static final String UNTRUSTED = "demo.signet.local/untrusted:v1";
  private static final Path OURS = RenderedChart.repository().resolve("deploy/gatekeeper/template.yaml");

  @TempDir static Path dir;
  private static Opa opa;
  private static SignetServer server;
  private static final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
  private static String caBundle;

  @BeforeAll
  static void startTheProvider() throws Exception {
    opa = Opa.locate();
    Path demo = dir.resolve("demo");
    StringWriter out = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(out), "demo", "--dir", demo.toString());
    assertThat(exit).as(out.toString()).isZero();
    Clock clock = Clock.systemUTC();
    ConfigReloader reloader =
        ConfigReloader.load(demo.resolve("config.json"), VerificationConfig.Runtime.standard(clock, dir.resolve("crl")));
    server =
        DecisionServer.builder(reloader, AdmissionMode.DENY, clock)
            .http(HostPort.parse("127.0.0.1:0", "127.0.0.1"))
            .certDir(demo.resolve("tls"))
            .logStream(new PrintStream(serverLog, true, StandardCharsets.UTF_8))
            .build()
            .start();
    caBundle = Files.readString(demo.resolve("tls/ca.crt"));
  }

  @AfterAll
  static void stopTheProvider() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void ourTemplateAdmitsSignedImagesAndNamesEachFailingImageInEveryContainerList() throws Exception {
    assertThat(violations(OURS, pod(List.of(SIGNED), List.of(SIGNED), List.of(SIGNED)))).isEmpty();

    assertThat(messages(violations(OURS, pod(List.of(UNSIGNED), List.of(), List.of()))))
        .containsExactly("Subject failed verification: " + UNSIGNED);
    assertThat(messages(violations(OURS, pod(List.of(SIGNED), List.of(UNSIGNED), List.of()))))
        .containsExactly("Subject failed verification: " + UNSIGNED);
    assertThat(messages(violations(OURS, pod(List.of(SIGNED), List.of(), List.of(UNTRUSTED)))))
        .containsExactly("Subject failed verification: " + UNTRUSTED);

    JsonNode all = violations(OURS, pod(List.of(SIGNED), List.of(UNSIGNED), List.of(UNTRUSTED)));
    assertThat(messages(all))
        .containsExactlyInAnyOrder(
            "Subject failed verification: " + UNSIGNED, "Subject failed verification: " + UNTRUSTED);
    for (JsonNode violation : all) {
      JsonNode details = violation.path("details");
      assertThat(details.path("subject").asString()).isIn(UNSIGNED, UNTRUSTED);
      assertThat(details.path("errorReasons")).as(violation.toString()).isNotEmpty();
      assertThat(details.path("traceID").asString()).isNotBlank();
    }
  }

  @Test
  void ratifysTemplateGivesItsMessagesForSignetsAnswers() throws Exception {
    Path ratify = Vectors.ratify("library/default/template.yaml");
    assertThat(violations(ratify, pod(List.of(SIGNED), List.of(SIGNED), List.of(SIGNED)))).isEmpty();

    List<String> messages = messages(violations(ratify, pod(List.of(SIGNED), List.of(UNSIGNED), List.of(UNTRUSTED))));
    assertThat(messages).hasSize(2);
    assertThat(messages)
        .anySatisfy(m -> assertThat(m).matches(
            "Time=\\d{4}-\\d\\d-\\d\\dT[^,]+Z, failed to verify the artifact: " + UNSIGNED + ", trace-id: [0-9a-f-]{36}"))
        .anySatisfy(m -> assertThat(m).matches(
            "Time=\\d{4}-\\d\\d-\\d\\dT[^,]+Z, failed to verify the artifact: " + UNTRUSTED + ", trace-id: [0-9a-f-]{36}"));
  }

  @Test
  void theHostedTemplateOfTheAzureWalkthroughSaysSubjectFailedVerification() throws Exception {
    Path hosted = resource("ratify/hosted/template.yaml");
    assertThat(violations(hosted, pod(List.of(SIGNED), List.of(), List.of()))).isEmpty();
    assertThat(messages(violations(hosted, pod(List.of(UNSIGNED, UNTRUSTED), List.of(), List.of()))))
        .containsExactlyInAnyOrder(
            "Subject failed verification: " + UNSIGNED, "Subject failed verification: " + UNTRUSTED);
    // That older copy sends only spec.containers: an unsigned init container passes it (ours denies).
    assertThat(violations(hosted, pod(List.of(SIGNED), List.of(UNSIGNED), List.of()))).isEmpty();
  }

  @Test
  void anUnreachableProviderIsAViolationForEveryTemplate() throws Exception {
    Map<String, Object> nowhere = Map.of("url", "https://127.0.0.1:1/ratify/gatekeeper/v1/verify", "caBundle", caBundle);
    for (Path template : List.of(OURS, Vectors.ratify("library/default/template.yaml"), resource("ratify/hosted/template.yaml"))) {
      assertThat(messages(violations(template, pod(List.of(SIGNED), List.of(), List.of()), nowhere)))
          .as(template.toString())
          .singleElement()
          .asString()
          .startsWith("System error calling external data provider: ");
    }
  }

  @Test
  void theServerLogsEachDecisionWithTheReasonTheInstallGuideShows() throws Exception {
    violations(OURS, pod(List.of(UNSIGNED), List.of(), List.of()));

    List<JsonNode> lines = new ArrayList<>();
    for (String line : serverLog.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("verification response for subject " + UNSIGNED)) {
        lines.add(JsonMapper.shared().readTree(line));
      }
    }
    assertThat(lines).isNotEmpty();
    JsonNode line = lines.get(lines.size() - 1);
    assertThat(line.path("isSuccess").asBoolean(true)).isFalse();
    assertThat(line.path("errorReason").asString()).isNotBlank();
    assertThat(line.path("trace-id").asString()).isNotBlank();
  }

  @Test
  void theSampleConstraintsUseTheTemplatesKindDenyAndDryrun() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    JsonNode template = yaml.readTree(Files.readString(OURS));
    String kind = template.path("spec").path("crd").path("spec").path("names").path("kind").asString();
    assertThat(template.path("metadata").path("name").asString()).isEqualTo("ratifyverification");
    Path library = OURS.getParent();
    JsonNode deny = yaml.readTree(Files.readString(library.resolve("constraint-deny.yaml")));
    JsonNode audit = yaml.readTree(Files.readString(library.resolve("constraint-audit.yaml")));
    assertThat(List.of(deny.path("kind").asString(), audit.path("kind").asString())).containsOnly(kind);
    assertThat(deny.path("spec").path("enforcementAction").asString()).isEqualTo("deny");
    assertThat(audit.path("spec").path("enforcementAction").asString()).isEqualTo("dryrun");
  }

  @Test
  void theAzurePolicyDefinitionInstallsThisTemplateWithADenyOrAuditEffect() throws Exception {
    JsonNode definition = JsonMapper.shared().readTree(
        RenderedChart.repository().resolve("deploy/azure-policy/signet-custom-policy.json").toFile());
    assertThat(definition.path("mode").asString()).isEqualTo("Microsoft.Kubernetes.Data");
    JsonNode effect = definition.path("parameters").path("effect");
    assertThat(StreamSupport.stream(effect.path("allowedValues").spliterator(), false).map(JsonNode::asString))
        .contains("Deny", "Audit");
    assertThat(effect.path("defaultValue").asString()).isEqualTo("Deny");
    JsonNode then = definition.path("policyRule").path("then");
    assertThat(then.path("effect").asString()).isEqualTo("[parameters('effect')]");
    JsonNode templateInfo = then.path("details").path("templateInfo");
    assertThat(templateInfo.path("sourceType").asString()).isEqualTo("Base64Encoded");
    assertThat(java.util.Base64.getDecoder().decode(templateInfo.path("content").asString()))
        .as("the definition embeds deploy/gatekeeper/template.yaml; run deploy/azure-policy/generate.sh")
        .isEqualTo(Files.readAllBytes(OURS));
    assertThat(then.path("details").path("kinds").toString()).isEqualTo("[\"Pod\"]");
  }

  private static JsonNode violations(Path template, Map<String, Object> pod) throws Exception {
    return violations(
        template,
        pod,
        Map.of("url", "https://127.0.0.1:" + server.port() + "/ratify/gatekeeper/v1/verify", "caBundle", caBundle));
  }

  /** The template's violations for a Pod, with the Provider "ratify-provider" answering. */
  private static JsonNode violations(Path template, Map<String, Object> pod, Map<String, Object> provider)
      throws Exception {
    Path work = Files.createTempDirectory(dir, "opa");
    JsonNode constraintTemplate = new YAMLMapper().readTree(Files.readString(template));
    Path rego = Files.writeString(
        work.resolve("template.rego"), constraintTemplate.path("spec").path("targets").get(0).path("rego").asString());
    Path shim = work.resolve("external-data.rego");
    Files.copy(resource("gatekeeper-external-data.rego"), shim);
    Path data = work.resolve("providers.json");
    JsonMapper.shared().writeValue(data.toFile(), Map.of("providers", Map.of("ratify-provider", provider)));
    Path input = work.resolve("input.json");
    JsonMapper.shared().writeValue(input.toFile(), Map.of("review", Map.of("object", pod), "parameters", Map.of()));
    return opa.eval(List.of(rego, shim, data), input, "data.ratifyverification.violation");
  }

  private static Map<String, Object> pod(List<String> containers, List<String> init, List<String> ephemeral) {
    return Map.of(
        "apiVersion", "v1",
        "kind", "Pod",
        "metadata", Map.of("name", "demo", "namespace", "default"),
        "spec", Map.of(
            "containers", containers(containers, "app"),
            "initContainers", containers(init, "init"),
            "ephemeralContainers", containers(ephemeral, "debug")));
  }

  private static List<Map<String, String>> containers(List<String> images, String prefix) {
    List<Map<String, String>> list = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      list.add(Map.of("name", prefix + i, "image", images.get(i)));
    }
    return list;
  }

  private static List<String> messages(JsonNode violations) {
    return StreamSupport.stream(violations.spliterator(), false).map(v -> v.path("msg").asString()).toList();
  }

  private static Path resource(String name) throws Exception {
    return Path.of(PolicyLibraryTest.class.getClassLoader().getResource(name).toURI());
  }
}
