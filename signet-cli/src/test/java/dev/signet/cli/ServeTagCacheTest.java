package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.json.StrictJson;
import dev.signet.server.SignetServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code serve} with the tag cache ({@code cache.tagTtl}) on the demo's OCI layout: a tag moved to
 * another image inside the lifetime is still answered with the digest that was verified, by the
 * Gatekeeper verify and mutate providers alike; with {@code tagTtl} 0 the move is seen at once.
 * The lifetimes are 10 minutes or 0, so the outcome does not depend on how fast the machine is.
 */
class ServeTagCacheTest {
  static final String SIGNED = "demo.signet.local/signed";
  static final String UNSIGNED = "demo.signet.local/unsigned";

  @TempDir Path dir;

  @Test
  void within_the_lifetime_a_moved_tag_answers_with_the_verified_digest() throws Exception {
    demo();
    try (Server s = serve("{\"tagTtl\":600000}")) {
      String verified = s.mutate(SIGNED + ":v1");
      assertThat(s.verify(SIGNED + ":v1")).isTrue();

      moveTag(SIGNED + ":v1", UNSIGNED + ":v1");

      assertThat(s.verify(SIGNED + ":v1")).as("the cached resolution is used").isTrue();
      assertThat(s.mutate(SIGNED + ":v1")).as("mutation pins what was verified").isEqualTo(verified);
    }
  }

  @Test
  void with_a_lifetime_of_zero_a_moved_tag_is_seen_at_once() throws Exception {
    demo();
    try (Server s = serve("{\"tagTtl\":0}")) {
      String before = s.mutate(SIGNED + ":v1");
      assertThat(s.verify(SIGNED + ":v1")).isTrue();

      moveTag(SIGNED + ":v1", UNSIGNED + ":v1");

      assertThat(s.verify(SIGNED + ":v1")).isFalse();
      assertThat(s.mutate(SIGNED + ":v1")).isNotEqualTo(before).endsWith(digestOf(UNSIGNED + ":v1"));
    }
  }

  private void demo() {
    StringWriter out = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(out), "demo", "--dir", dir.toString());
    assertThat(exit).as(out.toString()).isZero();
  }

  /** Points the layout's {@code from} tag at the manifest {@code to} names. */
  private void moveTag(String from, String to) throws Exception {
    Path index = dir.resolve("oci-layout/index.json");
    ObjectNode root = (ObjectNode) StrictJson.MAPPER.readTree(Files.readAllBytes(index));
    ArrayNode manifests = (ArrayNode) root.get("manifests");
    JsonNode target = entry(manifests, to);
    ObjectNode moved = (ObjectNode) entry(manifests, from);
    moved.put("digest", target.get("digest").asString());
    moved.put("size", target.get("size").asLong());
    Files.write(index, StrictJson.MAPPER.writeValueAsBytes(root));
  }

  private String digestOf(String ref) throws Exception {
    JsonNode root = StrictJson.MAPPER.readTree(Files.readAllBytes(dir.resolve("oci-layout/index.json")));
    return entry((ArrayNode) root.get("manifests"), ref).get("digest").asString();
  }

  private static JsonNode entry(ArrayNode manifests, String ref) {
    for (JsonNode m : manifests) {
      if (ref.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asString(""))) {
        return m;
      }
    }
    throw new AssertionError("no entry named " + ref);
  }

  private Server serve(String cacheSection) throws Exception {
    Path config = dir.resolve("config.json");
    ObjectNode root = (ObjectNode) StrictJson.MAPPER.readTree(Files.readAllBytes(config));
    root.set("cache", StrictJson.MAPPER.readTree(cacheSection));
    Files.write(config, StrictJson.MAPPER.writeValueAsBytes(root));
    ServeCommand command = new ServeCommand();
    CommandLine cli = new CommandLine(command);
    cli.setErr(new PrintWriter(new StringWriter()));
    cli.parseArgs("--config", config.toString(), "--http", "127.0.0.1:0",
        "--cert-dir", dir.resolve("tls").toString());
    return new Server(command.start(Clock.systemUTC()), client(dir.resolve("tls/ca.crt")));
  }

  private static HttpClient client(Path caFile) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  private record Server(SignetServer server, HttpClient client) implements AutoCloseable {
    boolean verify(String image) throws Exception {
      return item("verify", image).path("value").path("isSuccess").asBoolean();
    }

    String mutate(String image) throws Exception {
      JsonNode item = item("mutate", image);
      assertThat(item.has("error")).as(item.toString()).isFalse();
      return item.path("value").asString();
    }

    private JsonNode item(String path, String image) throws Exception {
      String body =
          "{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\","
              + "\"request\":{\"keys\":[\"" + image + "\"]}}";
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + server.port() + "/ratify/gatekeeper/v1/" + path))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return StrictJson.MAPPER.readTree(r.body()).path("response").path("items").get(0);
    }

    @Override
    public void close() {
      server.stop();
    }
  }
}
