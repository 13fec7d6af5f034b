package dev.signet.server;

import dev.signet.verify.ImageResolver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.artifact.SupplyChain;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Gatekeeper provider with the combined supply-chain policy (signature, SBOM without GPL-3.0,
 * fresh scan without critical findings, SBOM and scan signed) over Debian's real {@code
 * docker-registry}: one provider request with every image of {@link SupplyChain#IMAGES}, each
 * admitted or denied exactly as configured.
 */
class SupplyChainServerTest {
  @TempDir Path dir;

  @Test
  void eachImageIsAdmittedOrDeniedAsTheCombinedPolicySays() throws Exception {
    Clock clock = Clock.systemUTC();
    try (DistributionRegistry registry = DistributionRegistry.start(dir.resolve("registry"), true, false)) {
      Path config = SupplyChain.push(registry, dir.resolve("config"), Instant.now());
      VerificationConfig loaded = VerificationConfig.load(config, VerificationConfig.Runtime.standard(clock));
      TestPki.Issued ca = TestTls.ca("Server CA");
      TestTls.write(dir.resolve("certs"), TestTls.server(ca), ca, false);
      try (SignetServer server = SignetServer.builder()
          .http(new HostPort("127.0.0.1", 0))
          .certDir(dir.resolve("certs"))
          .decisions(loaded.executor()::verify)
          .resolver(ImageResolver.firstOf(loaded.stores(), loaded.mutationTimeout()))
          .verifyTimeout(loaded.timeout())
          .logStream(new PrintStream(new ByteArrayOutputStream()))
          .build()
          .start()) {
        List<String> keys = new ArrayList<>();
        SupplyChain.IMAGES.values().forEach(i -> keys.add(registry.host() + "/" + i.repository() + ":v1"));
        HttpResponse<String> r = TestTls.client(null, null, ca).send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + SignetServer.VERIFY_PATH))
                .POST(HttpRequest.BodyPublishers.ofString(SignetServerTest.providerRequest(keys)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = StrictJson.MAPPER.readTree(r.body()).path("response").path("items");
        assertThat(items).hasSize(keys.size());
        List<SupplyChain.Image> images = new ArrayList<>(SupplyChain.IMAGES.values());
        for (int i = 0; i < keys.size(); i++) {
          JsonNode item = items.get(i);
          SupplyChain.Image image = images.get(i);
          assertThat(item.path("key").asString()).isEqualTo(keys.get(i));
          assertThat(item.path("value").path("isSuccess").asBoolean())
              .as(image.repository() + " (" + image.why() + "): " + item)
              .isEqualTo(image.admitted());
        }
      }
    }
  }
}
