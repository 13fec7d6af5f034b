package dev.signet.config;

import dev.signet.engine.VerificationConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.signet.json.StrictJson;
import dev.signet.testkit.TemporaryHome;
import dev.signet.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every config.json of Ratify v1.4.0 (its default configuration and its end-to-end test
 * configurations), loaded unchanged. A file whose plugins are all oras, configPolicy and notation
 * must load; any other file must either load or fail with a message naming (or pointing at) one of
 * its other plugins, which Signet may not implement, or not fully: so the test stays right as plugins
 * are added.
 */
@ExtendWith(TemporaryHome.class)
class RatifyConfigFilesTest {
  /** Plugins and policy providers of Ratify v1.4.0 that Signet may not implement. */
  private static final Set<String> MAY_BE_UNSUPPORTED =
      Set.of(
          "cosign",
          "sbom",
          "licensechecker",
          "vulnerabilityreport",
          "schemavalidator",
          "dynamic",
          "dynamicstore",
          "regopolicy");

  private static final Set<String> SUPPORTED = Set.of("notation", "oras", "configpolicy");

  /** Files Ratify's own end-to-end tests expect to be refused, with what the refusal says. */
  private static final Map<String, String> REFUSED_BY_DESIGN =
      Map.of("sbom_version_mismatch.json", "\"3.0.0\" is not a version of the sbom verifier");

  @TempDir Path crlCache;

  static List<Path> ratifyConfigFiles() throws Exception {
    Path root = Vectors.ratify("");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode json = StrictJson.parseObject(Files.readAllBytes(p), 1 << 20, p.toString());
        if (json.has("store") || json.has("verifier") || json.has("policy")) {
          files.add(p);
        }
      }
    }
    return files;
  }

  @Test
  void the_vectors_hold_ratifys_default_and_end_to_end_configurations() throws Exception {
    List<String> names =
        ratifyConfigFiles().stream().map(p -> Vectors.ratify("").relativize(p).toString()).toList();
    assertThat(names)
        .hasSize(22)
        .contains(
            "config/config.json",
            "test/bats/tests/config/config.json",
            "test/bats/tests/config/config_notation_crl.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ratifyConfigFiles")
  void loads_or_names_an_unsupported_plugin(Path file) throws Exception {
    List<String> plugins = pluginNames(file);
    VerificationConfig.Runtime runtime = VerificationConfig.Runtime.standard(Clock.systemUTC(), crlCache);
    String refusal = REFUSED_BY_DESIGN.get(file.getFileName().toString());
    if (refusal != null) {
      assertThatThrownBy(() -> VerificationConfig.load(file, runtime))
          .isInstanceOf(ConfigException.class)
          .satisfiesAnyOf(
              e -> assertThat(e).hasMessageContaining(refusal),
              e -> assertThat(named(e, plugins)).isNotEmpty());
      return;
    }
    if (SUPPORTED.containsAll(plugins)) {
      VerificationConfig config = VerificationConfig.load(file, runtime);
      assertThat(config.executor()).isNotNull();
      return;
    }
    try {
      VerificationConfig.load(file, runtime);
    } catch (ConfigException e) {
      if (named(e, plugins).isEmpty() && blamed(e, file).isEmpty()) {
        fail(file + " failed without naming one of its plugins " + plugins
            + " that may be unsupported " + MAY_BE_UNSUPPORTED + ": " + e.getMessage());
      }
    }
  }

  @Test
  void certificate_paths_under_the_home_directory_are_expanded() throws Exception {
    Path file = Vectors.ratify("test/bats/tests/config/config_notation_root_cert.json");
    VerificationConfig.Runtime runtime = VerificationConfig.Runtime.standard(Clock.systemUTC(), crlCache);
    Path expected = TemporaryHome.path().resolve(".config/notation/truststore/x509/ca/leaf-test/root.crt");

    VerificationConfig missing = VerificationConfig.load(file, runtime);
    assertThat(missing.warnings())
        .anySatisfy(w -> assertThat(w).contains("certificate path " + expected + " does not exist"));
    assertThat(missing.referencedFiles()).contains(expected);

    // The same file once the certificate is where Ratify's setup puts it: no warning.
    Files.createDirectories(expected.getParent());
    Files.copy(Vectors.ratify("test/bats/tests/certificates/wabbit-networks.io.crt"), expected);
    assertThat(VerificationConfig.load(file, runtime).warnings()).isEmpty();
  }

  /** The plugins of the file that may be unsupported and that the message names. */
  private static List<String> named(Throwable e, List<String> plugins) {
    return plugins.stream()
        .filter(MAY_BE_UNSUPPORTED::contains)
        .filter(p -> e.getMessage().toLowerCase(Locale.ROOT).contains("\"" + p + "\""))
        .toList();
  }

  /**
   * The plugins of the file that may be unsupported (or not yet fully supported) that the message
   * blames by their place, e.g. {@code verifier.plugins[0].schemas...}.
   */
  private static List<String> blamed(Throwable e, Path file) throws Exception {
    JsonNode json = StrictJson.parseObject(Files.readAllBytes(file), 1 << 20, file.toString());
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(store|verifier)\\.plugins\\[(\\d+)]").matcher(e.getMessage());
    while (m.find()) {
      JsonNode p = json.path(m.group(1)).path("plugins").path(Integer.parseInt(m.group(2)));
      String type = p.has("type") ? p.path("type").asString() : p.path("name").asString();
      if (MAY_BE_UNSUPPORTED.contains(type.toLowerCase(Locale.ROOT))) {
        out.add(type);
      }
    }
    return out;
  }

  /** Store, policy and verifier names (verifier {@code type} when given), lower case. */
  private static List<String> pluginNames(Path file) throws Exception {
    JsonNode json = StrictJson.parseObject(Files.readAllBytes(file), 1 << 20, file.toString());
    List<String> names = new ArrayList<>();
    for (JsonNode p : json.path("store").path("plugins")) {
      names.add(p.path("name").asString().toLowerCase(Locale.ROOT));
    }
    names.add(json.path("policy").path("plugin").path("name").asString().toLowerCase(Locale.ROOT));
    for (JsonNode p : json.path("verifier").path("plugins")) {
      String type = p.has("type") ? p.path("type").asString() : p.path("name").asString();
      names.add(type.toLowerCase(Locale.ROOT));
    }
    return names;
  }
}
