package dev.signet.engine;

import dev.signet.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.SettableClock;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import dev.signet.verify.ConfiguredExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloaderTest {
  private static final String SUBJECT =
      "local/e2e@sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";
  private static final String TRUST_POLICY =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"e2e\",\"registryScopes\":[\"*\"],"
          + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
          + "\"trustedIdentities\":[\"*\"]}]}";

  @TempDir Path dir;
  private Path file;
  private Path certs;
  private final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T00:00:00Z"));

  @BeforeEach
  void files() throws Exception {
    file = dir.resolve("config.json");
    certs = dir.resolve("certs");
    Files.createDirectories(certs);
    Files.copy(
        Vectors.notary("notation/test/e2e/testdata/config/localkeys/e2e.crt"),
        certs.resolve("e2e.crt"));
  }

  private static String config(String policyPlugin) {
    String layout =
        Vectors.notary("notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature")
            .toString()
            .replace("\\", "\\\\");
    return "{\"store\":{\"plugins\":[{\"name\":\"ocilayout\",\"path\":\"" + layout + "\"}]},"
        + "\"policy\":{\"plugin\":" + policyPlugin + "},"
        + "\"verifier\":{\"plugins\":[{\"name\":\"notation\","
        + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\","
        + "\"verificationCerts\":[\"certs\"],\"trustPolicyDoc\":" + TRUST_POLICY + "}]}}";
  }

  private static final String ANY =
      "{\"name\":\"configPolicy\",\"artifactVerificationPolicies\":"
          + "{\"application/vnd.cncf.notary.signature\":\"any\"}}";

  private static String cel(String expression) {
    return "{\"name\":\"celPolicy\",\"expression\":\"" + expression.replace("\"", "\\\"") + "\"}";
  }

  private void write(String json) throws Exception {
    // Written aside and moved, as an editor or a ConfigMap update would: never half a file.
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private ConfigReloader reloader(Duration interval) throws Exception {
    return ConfigReloader.load(file, VerificationConfig.Runtime.standard(clock), interval);
  }

  private static boolean allows(ConfiguredExecutor e) {
    return e.executor().verify(SUBJECT).isSuccess();
  }

  @Test
  void the_first_load_is_generation_one() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);
    assertThat(r.get().generation()).isEqualTo(1);
    assertThat(allows(r.get())).isTrue();
    assertThat(r.lastError()).isEmpty();
    assertThat(r.config().referencedFiles()).containsExactly(certs.toAbsolutePath());
  }

  @Test
  void the_fingerprint_is_the_same_for_the_same_content_anywhere_and_changes_with_trust_material()
      throws Exception {
    write(config(ANY));
    Path copy = dir.resolve("replica-b.json");
    Files.copy(file, copy);
    ConfigReloader a = reloader(Duration.ZERO);
    ConfigReloader b = ConfigReloader.load(copy, VerificationConfig.Runtime.standard(clock), Duration.ZERO);
    String shared = b.get().fingerprint();
    assertThat(a.get().fingerprint()).startsWith("sha256:").isEqualTo(shared);

    // Another certificate in the trust store: a new fingerprint.
    Files.writeString(certs.resolve("other.crt"), Files.readString(certs.resolve("e2e.crt")));
    assertThat(a.reloadIfChanged()).isTrue();
    assertThat(a.get().fingerprint()).isNotEqualTo(shared);
    // A policy change too.
    String beforePolicy = a.current().fingerprint();
    write(config(cel("true")));
    assertThat(a.reloadIfChanged()).isTrue();
    assertThat(a.get().fingerprint()).isNotEqualTo(beforePolicy);
    // Fingerprints of processes' own executors are never shared.
    assertThat(ConfiguredExecutor.local(1, a.get().executor()).fingerprint())
        .isNotEqualTo(a.get().fingerprint())
        .startsWith("local-");
  }

  @Test
  void a_broken_first_file_is_an_error() throws Exception {
    write("{\"store\":");
    assertThatThrownBy(() -> reloader(Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void unchanged_files_keep_the_generation() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);
    ConfiguredExecutor first = r.get();
    assertThat(r.reloadIfChanged()).isFalse();
    // Rewritten with the same bytes and touched: the content is what counts.
    write(config(ANY));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    Files.setLastModifiedTime(certs.resolve("e2e.crt"), FileTime.from(Instant.now()));
    assertThat(r.reloadIfChanged()).isFalse();
    assertThat(r.get().executor()).isSameAs(first.executor());
    assertThat(r.generation()).isEqualTo(1);
  }

  @Test
  void a_changed_file_is_loaded_as_a_new_generation_with_the_new_behaviour() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);
    assertThat(allows(r.get())).isTrue();

    write(config(cel("verifierReports.exists(r, r.isSuccess && r.extensions.SN == 'CN=nobody')")));
    ConfiguredExecutor next = r.get();
    assertThat(next.generation()).isEqualTo(2);
    assertThat(allows(next)).isFalse();

    write(config(cel("verifierReports.exists(r, r.isSuccess)")));
    assertThat(r.get().generation()).isEqualTo(3);
    assertThat(allows(r.get())).isTrue();
  }

  @Test
  void a_broken_file_keeps_the_last_good_configuration_and_says_why() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);
    ConfiguredExecutor good = r.get();

    write(config(cel("verifierReports.exists(r, r.isSuccess &&)")));
    assertThat(r.reloadIfChanged()).isFalse();
    assertThat(r.get().executor()).isSameAs(good.executor());
    assertThat(allows(r.get())).isTrue();
    assertThat(r.lastError())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains(file.toString())
                    .contains("policy.plugin.expression")
                    .contains("line 1, column"));

    write("{\"store\": [}");
    assertThat(r.get().executor()).isSameAs(good.executor());
    assertThat(r.lastError()).hasValueSatisfying(why -> assertThat(why).contains("JSON"));

    // Fixed: a new generation, and nothing to report any more.
    write(config(cel("true")));
    assertThat(r.get().generation()).isEqualTo(2);
    assertThat(r.lastError()).isEmpty();
  }

  @Test
  void putting_the_good_file_back_clears_the_error_without_a_new_generation() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);
    write("not json");
    r.get();
    assertThat(r.lastError()).isPresent();
    write(config(ANY));
    assertThat(r.get().generation()).isEqualTo(1);
    assertThat(r.lastError()).isEmpty();
  }

  @Test
  void a_certificate_change_raises_the_generation() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);

    // A certificate added to a directory the configuration names.
    Files.write(
        certs.resolve("other.crt"),
        TestPki.root("CN=Other,O=Example,ST=WA,C=US").selfSigned().certificate().getEncoded());
    assertThat(r.reloadIfChanged()).isTrue();
    assertThat(r.generation()).isEqualTo(2);
    assertThat(allows(r.get())).isTrue();

    // The signer's certificate replaced by another: same name, new content, new behaviour.
    Files.copy(certs.resolve("other.crt"), certs.resolve("e2e.crt"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(r.reloadIfChanged()).isTrue();
    assertThat(r.generation()).isEqualTo(3);
    assertThat(allows(r.get())).isFalse();

    // A removed certificate counts too.
    Files.delete(certs.resolve("other.crt"));
    assertThat(r.reloadIfChanged()).isTrue();
    assertThat(r.generation()).isEqualTo(4);
  }

  @Test
  void a_certificate_directory_that_disappears_is_reported_and_the_decisions_fail_closed()
      throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);
    Files.delete(certs.resolve("e2e.crt"));
    Files.delete(certs);
    // As at start-up (and as Ratify does), a missing path is a warning, not a rejected file; the
    // trust it gave is gone, and every verification says which path is missing.
    assertThat(r.reloadIfChanged()).isTrue();
    assertThat(r.generation()).isEqualTo(2);
    assertThat(r.config().warnings())
        .anySatisfy(w -> assertThat(w).contains(certs.toString()).contains("does not exist"));
    assertThat(allows(r.get())).isFalse();
    assertThat(r.get().executor().verify(SUBJECT).verifierReports())
        .isNotEmpty()
        .allSatisfy(
            report ->
                assertThat(report.message() + " " + report.errorReason())
                    .contains("certificate path " + certs + " does not exist"));
  }

  @Test
  void a_policy_file_is_watched_too() throws Exception {
    Path policy = dir.resolve("policy.cel");
    Files.writeString(policy, "verifierReports.exists(r, r.isSuccess)");
    write(config("{\"name\":\"celPolicy\",\"expressionFile\":\"policy.cel\"}"));
    ConfigReloader r = reloader(Duration.ZERO);
    assertThat(allows(r.get())).isTrue();
    Files.writeString(policy, "verifierReports.all(r, !r.isSuccess)");
    assertThat(r.get().generation()).isEqualTo(2);
    assertThat(allows(r.get())).isFalse();
  }

  @Test
  void the_files_are_looked_at_no_more_than_once_per_interval() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ofSeconds(10));
    write(config(cel("false")));
    clock.advance(Duration.ofSeconds(9));
    assertThat(r.get().generation()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(r.get().generation()).isEqualTo(2);
    assertThat(allows(r.get())).isFalse();
  }

  @Test
  void a_configmap_style_symbolic_link_swap_is_seen() throws Exception {
    // Kubernetes mounts config.json -> ..data/config.json, ..data -> ..<timestamp>, and updates by
    // pointing ..data at a new directory.
    Path mount = dir.resolve("mount");
    Path v1 = mount.resolve("..v1");
    Files.createDirectories(v1);
    Files.writeString(v1.resolve("config.json"), config(ANY).replace("\"certs\"", "\"../certs\""));
    Files.createSymbolicLink(mount.resolve("..data"), Path.of("..v1"));
    Path linked = mount.resolve("config.json");
    Files.createSymbolicLink(linked, Path.of("..data/config.json"));
    ConfigReloader r =
        ConfigReloader.load(linked, VerificationConfig.Runtime.standard(clock), Duration.ZERO);
    assertThat(allows(r.get())).isTrue();

    Path v2 = mount.resolve("..v2");
    Files.createDirectories(v2);
    Files.writeString(v2.resolve("config.json"), config(cel("false")).replace("\"certs\"", "\"../certs\""));
    Path swap = mount.resolve("..data_tmp");
    Files.createSymbolicLink(swap, Path.of("..v2"));
    Files.move(swap, mount.resolve("..data"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(r.get().generation()).isEqualTo(2);
    assertThat(allows(r.get())).isFalse();
  }

  @Test
  void concurrent_callers_see_generations_only_grow() throws Exception {
    write(config(ANY));
    ConfigReloader r = reloader(Duration.ZERO);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.List<Throwable> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long seen = 0;
                    while (!stop.get()) {
                      long g = r.get().generation();
                      if (g < seen) {
                        problems.add(new AssertionError("generation went back from " + seen + " to " + g));
                      }
                      seen = g;
                    }
                  }));
    }
    for (int i = 0; i < 3; i++) {
      write(config(cel("verifierReports.size() > " + i)));
      while (r.generation() < i + 2) {
        r.reloadIfChanged();
      }
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(problems).isEmpty();
    assertThat(r.generation()).isEqualTo(4);
  }
}
