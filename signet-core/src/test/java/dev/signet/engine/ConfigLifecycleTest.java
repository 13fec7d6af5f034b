package dev.signet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.config.ConfigException;
import dev.signet.result.VerificationResult;
import dev.signet.testkit.Vectors;
import dev.signet.verify.ConfiguredExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who closes what: a configuration owns its stores (a registry store owns an HTTP client), the
 * reloader owns its configurations, and nothing it built outlives its use.
 */
class ConfigLifecycleTest {
  private static final String SUBJECT =
      "127.0.0.1:1/e2e@sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";
  private static final String TRUST_POLICY =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"e2e\",\"registryScopes\":[\"*\"],"
          + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
          + "\"trustedIdentities\":[\"*\"]}]}";
  /** Two stores per configuration: an OCI layout and a registry store (an HTTP client). */
  private static final int STORES = 2;

  @TempDir Path dir;
  private Path file;
  private final CountingStores counting = new CountingStores();
  private final VerificationConfig.Runtime runtime =
      VerificationConfig.Runtime.standard(Clock.systemUTC()).withStores(counting);

  @BeforeEach
  void files() throws Exception {
    file = dir.resolve("config.json");
    Path certs = dir.resolve("certs");
    Files.createDirectories(certs);
    Files.copy(
        Vectors.notary("notation/test/e2e/testdata/config/localkeys/e2e.crt"),
        certs.resolve("e2e.crt"));
  }

  /** A configuration; {@code timeoutMs} makes each version's content different. */
  private static String config(long timeoutMs, String verifierExtra) {
    String layout =
        Vectors.notary("notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature")
            .toString()
            .replace("\\", "\\\\");
    return "{\"executor\":{\"verificationRequestTimeout\":" + timeoutMs + "},"
        + "\"store\":{\"plugins\":[{\"name\":\"ocilayout\",\"path\":\"" + layout + "\"},"
        + "{\"name\":\"oras\",\"useHttp\":true}]},"
        + "\"policy\":{\"plugin\":{\"name\":\"configPolicy\",\"artifactVerificationPolicies\":"
        + "{\"application/vnd.cncf.notary.signature\":\"any\"}}},"
        + "\"verifier\":{\"plugins\":[{\"name\":\"notation\","
        + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\","
        + "\"verificationCerts\":[\"certs\"]" + verifierExtra + "}]}}";
  }

  private static String good(long timeoutMs) {
    return config(timeoutMs, ",\"trustPolicyDoc\":" + TRUST_POLICY);
  }

  private void write(String json) throws Exception {
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Whether the decision reached the registry store: nothing listens on 127.0.0.1:1, so its
   * listing is refused at once (no name lookup that could outlast the deadline), the decision fails
   * closed and the report names the store.
   */
  private static boolean asksTheRegistryStore(VerificationResult result) {
    return !result.isSuccess()
        && result.verifierReports().get(0).message().contains("store 2 (oras)");
  }

  @Test
  void a_closed_configuration_closes_its_stores_once() throws Exception {
    write(good(5000));
    VerificationConfig config = VerificationConfig.load(file, runtime);
    assertThat(counting.open()).isEqualTo(STORES);

    config.close();
    config.close();

    assertThat(config.isClosed()).isTrue();
    assertThat(counting.closed()).isEqualTo(STORES);
    assertThat(counting.open()).isZero();
  }

  @Test
  void a_load_that_fails_after_its_stores_closes_them() throws Exception {
    // The stores are valid; the verifier lacks its trust policy, which is read after them.
    write(config(5000, ""));

    assertThatThrownBy(() -> VerificationConfig.load(file, runtime))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trustPolicyDoc");
    assertThat(counting.opened()).isEqualTo(STORES);
    assertThat(counting.open()).isZero();
  }

  @Test
  void a_load_with_a_bad_cache_section_closes_its_stores() throws Exception {
    // Everything else is valid: the cache section is the only error, found besides the stores.
    String json = good(5000);
    write(json.substring(0, json.length() - 1) + ",\"cache\":{\"type\":\"disk\"}}");

    assertThatThrownBy(() -> VerificationConfig.load(file, runtime))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cache.type");
    assertThat(counting.opened()).isEqualTo(STORES);
    assertThat(counting.open()).isZero();
  }

  @Test
  void a_retired_generation_closes_after_its_last_holder_and_is_never_held_again()
      throws Exception {
    write(good(5000));
    ConfigGeneration generation =
        ConfigGeneration.local(VerificationConfig.load(file, runtime), 7);
    ConfiguredExecutor held = generation.hold().orElseThrow();
    assertThat(held.generation()).isEqualTo(7);
    assertThat(held.fingerprint()).isEqualTo(generation.unheld().fingerprint());

    generation.retire();
    generation.retire();
    assertThat(generation.isClosed()).isFalse();
    assertThat(counting.open()).isEqualTo(STORES);
    assertThat(asksTheRegistryStore(held.executor().verify(SUBJECT))).isTrue();

    held.close();
    held.close();
    assertThat(generation.isClosed()).isTrue();
    assertThat(counting.open()).isZero();
    assertThat(counting.closed()).isEqualTo(STORES);
    assertThat(generation.hold()).isEmpty();
  }

  @Test
  void no_store_survives_100_reloads() throws Exception {
    write(good(5000));
    ConfigReloader reloader = ConfigReloader.load(file, runtime, Duration.ZERO);
    for (int i = 1; i <= 100; i++) {
      write(good(5000 + i));
      assertThat(reloader.reloadIfChanged()).as("reload %d", i).isTrue();
      if (i % 25 == 0) {
        try (ConfiguredExecutor executor = reloader.get()) {
          assertThat(asksTheRegistryStore(executor.executor().verify(SUBJECT))).isTrue();
        }
      }
      assertThat(counting.open()).as("open stores after reload %d", i).isEqualTo(STORES);
    }
    assertThat(reloader.generation()).isEqualTo(101);
    assertThat(counting.opened()).isGreaterThanOrEqualTo(101 * STORES);

    reloader.close();

    assertThat(counting.open()).isZero();
    assertThatThrownBy(reloader::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void a_superseded_generation_closes_when_its_last_decision_finishes() throws Exception {
    write(good(5000));
    ConfigReloader reloader = ConfigReloader.load(file, runtime, Duration.ZERO);
    VerificationConfig first = reloader.config();
    ConfiguredExecutor inFlight = reloader.get();

    write(good(6000));
    assertThat(reloader.reloadIfChanged()).isTrue();

    // The decision on generation 1 still runs: its stores stay open, next to generation 2's.
    assertThat(inFlight.generation()).isEqualTo(1);
    assertThat(first.isClosed()).isFalse();
    assertThat(asksTheRegistryStore(inFlight.executor().verify(SUBJECT))).isTrue();
    assertThat(counting.open()).isEqualTo(2 * STORES);

    inFlight.close();
    inFlight.close();

    assertThat(first.isClosed()).isTrue();
    assertThat(counting.open()).isEqualTo(STORES);
    reloader.close();
    assertThat(counting.open()).isZero();
  }

  @Test
  void closing_the_reloader_waits_for_the_decisions_holding_the_current_generation()
      throws Exception {
    write(good(5000));
    ConfigReloader reloader = ConfigReloader.load(file, runtime, Duration.ZERO);
    ConfiguredExecutor inFlight = reloader.get();

    reloader.close();
    assertThat(counting.open()).isEqualTo(STORES);

    inFlight.close();
    assertThat(counting.open()).isZero();
  }

  @Test
  void a_rejected_reload_closes_what_it_opened() throws Exception {
    write(good(5000));
    ConfigReloader reloader = ConfigReloader.load(file, runtime, Duration.ZERO);
    int before = counting.opened();

    write(config(6000, ""));

    assertThat(reloader.reloadIfChanged()).isFalse();
    assertThat(reloader.lastError()).hasValueSatisfying(e -> assertThat(e).contains("trustPolicyDoc"));
    assertThat(counting.opened()).isEqualTo(before + STORES);
    assertThat(counting.open()).isEqualTo(STORES);
    reloader.close();
    assertThat(counting.open()).isZero();
  }
}
