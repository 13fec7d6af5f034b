package dev.signet.server;

import dev.signet.verify.ImageResolver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The provider with the real engine behind it: notation's e2e OCI layouts (a signed image and the
 * same image unsigned) verified through config.json, the layout store and the notation verifier.
 */
class OciLayoutProviderTest {
  private static final String E2E = "notation/test/e2e/testdata/";
  private static final String IMAGE =
      "sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";

  @TempDir Path dir;
  private SignetServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private Path config(String layout) throws Exception {
    Path file = dir.resolve(layout + ".json");
    Files.write(file, StrictJson.MAPPER.writeValueAsBytes(e2eConfig(layout)));
    return file;
  }

  /** The configuration of the Notary e2e layout {@code layout}, trusting its e2e CA. */
  static ObjectNode e2eConfig(String layout) throws Exception {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.putObject("store").putArray("plugins").addObject()
        .put("name", "ocilayout")
        .put("path", Vectors.notary(E2E + "registry/oci_layout/" + layout).toString());
    root.putObject("policy").putObject("plugin").put("name", "configPolicy")
        .putObject("artifactVerificationPolicies").put("application/vnd.cncf.notary.signature", "any");
    ObjectNode notation = root.putObject("verifier").putArray("plugins").addObject();
    notation.put("name", "verifier-notation").put("type", "notation")
        .put("artifactTypes", "application/vnd.cncf.notary.signature");
    notation.putObject("verificationCertStores").putObject("ca").putArray("e2e")
        .add(Vectors.notary(E2E + "config/localkeys/e2e.crt").toString());
    notation.set("trustPolicyDoc", StrictJson.MAPPER.readTree(
        Files.readAllBytes(Vectors.notary(E2E + "config/trustpolicies/trustpolicy.json"))));
    return root;
  }

  private JsonNode call(String layout, String path, List<String> keys) throws Exception {
    Clock clock = Clock.systemUTC();
    VerificationConfig loaded = VerificationConfig.load(config(layout), VerificationConfig.Runtime.standard(clock));
    TestPki.Issued ca = TestTls.ca("Server CA");
    TestTls.write(dir.resolve("certs"), TestTls.server(ca), ca, false);
    server =
        SignetServer.builder()
            .http(new HostPort("127.0.0.1", 0))
            .certDir(dir.resolve("certs"))
            .decisions(loaded.executor()::verify)
            .resolver(ImageResolver.firstOf(loaded.stores(), loaded.mutationTimeout()))
            .verifyTimeout(loaded.timeout())
            .logStream(new PrintStream(new ByteArrayOutputStream()))
            .build()
            .start();
    HttpResponse<String> r =
        TestTls.client(null, null, ca)
            .send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                    .POST(HttpRequest.BodyPublishers.ofString(SignetServerTest.providerRequest(keys)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return StrictJson.MAPPER.readTree(r.body()).path("response");
  }

  @Test
  void a_signed_image_verifies() throws Exception {
    JsonNode value =
        call("e2e-valid-signature", SignetServer.VERIFY_PATH, List.of("local/e2e@" + IMAGE))
            .path("items").get(0).path("value");
    assertThat(value.path("isSuccess").asBoolean()).as(value.toString()).isTrue();
    JsonNode report = value.path("verifierReports").get(0);
    assertThat(report.path("verifierName").asString()).isEqualTo("verifier-notation");
    assertThat(report.path("artifactType").asString()).isEqualTo("application/vnd.cncf.notary.signature");
    assertThat(report.path("isSuccess").asBoolean()).isTrue();
  }

  @Test
  void the_unsigned_image_does_not() throws Exception {
    JsonNode value =
        call("e2e", SignetServer.VERIFY_PATH, List.of("[default]local/e2e@" + IMAGE))
            .path("items").get(0).path("value");
    assertThat(value.path("isSuccess").asBoolean()).isFalse();
    assertThat(value.path("verifierReports").get(0).path("message").asString())
        .contains("no signature was found");
  }

  @Test
  void mutate_pins_the_layout_tag_to_its_digest() throws Exception {
    JsonNode items = call("e2e", SignetServer.MUTATE_PATH, List.of("local/e2e:v1", "local/e2e:missing")).path("items");
    assertThat(items.get(0).path("value").asString()).isEqualTo("local/e2e@" + IMAGE);
    assertThat(items.get(0).has("error")).isFalse();
    assertThat(items.get(1).path("value").asString()).isEqualTo("local/e2e:missing");
    assertThat(items.get(1).path("error").asString()).startsWith("GET_SUBJECT_DESCRIPTOR_FAILURE");
  }
}
