package dev.signet.engine;

import dev.signet.cache.CacheBounds;
import dev.signet.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationConfigTest {
  @TempDir Path dir;

  private static final String POLICY =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"e2e\",\"registryScopes\":[\"*\"],"
          + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
          + "\"trustedIdentities\":[\"*\"]}]}";

  private String layout() {
    return Vectors.notary("notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature").toString();
  }

  private String cert() {
    return Vectors.notary("notation/test/e2e/testdata/config/localkeys/e2e.crt").toString();
  }

  private String config(String executor, String verifierExtra) {
    return "{" + executor
        + "\"store\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"ocilayout\",\"path\":" + quote(layout()) + "}]},"
        + "\"policy\":{\"version\":\"1.0.0\",\"plugin\":{\"name\":\"configPolicy\","
        + "\"artifactVerificationPolicies\":{\"application/vnd.cncf.notary.signature\":\"any\"}}},"
        + "\"verifier\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"notation\","
        + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\"," + verifierExtra
        + "\"trustPolicyDoc\":" + POLICY + "}]}}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\") + "\"";
  }

  private VerificationConfig load(String json) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return VerificationConfig.load(file, VerificationConfig.Runtime.standard(Clock.systemUTC()));
  }

  @Test
  void a_valid_configuration_loads_with_the_default_timeout() throws Exception {
    VerificationConfig c = load(config("", "\"verificationCerts\":[" + quote(cert()) + "],"));
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(4900));
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void the_executor_timeout_is_read_in_milliseconds() throws Exception {
    VerificationConfig c =
        load(config("\"executor\":{\"verificationRequestTimeout\":1500},",
            "\"verificationCerts\":[" + quote(cert()) + "],"));
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.mutationTimeout()).isEqualTo(VerificationConfig.DEFAULT_MUTATION_TIMEOUT);
  }

  @Test
  void the_mutation_timeout_and_the_stores_are_exposed_for_the_server() throws Exception {
    VerificationConfig c =
        load(config("\"executor\":{\"mutationRequestTimeout\":900},",
            "\"verificationCerts\":[" + quote(cert()) + "],"));
    assertThat(c.mutationTimeout()).isEqualTo(Duration.ofMillis(900));
    assertThat(c.stores()).hasSize(1);
  }

  @Test
  void the_cache_bounds_and_the_tag_lifetime_are_read_with_defaults() throws Exception {
    String certs = "\"verificationCerts\":[" + quote(cert()) + "],";
    assertThat(load(config("", certs)).cacheBounds())
        .isEqualTo(new CacheBounds(10_000, Duration.ofSeconds(2), 10_000));
    VerificationConfig c =
        load(config("\"cache\":{\"maxEntries\":500,\"tagTtl\":0,\"tagMaxEntries\":20},", certs));
    assertThat(c.cacheBounds()).isEqualTo(new CacheBounds(500, Duration.ZERO, 20));
    assertThatThrownBy(() -> load(config("\"cache\":{\"tagTtl\":-1},", certs)))
        .hasMessageContaining("cache.tagTtl must be a non-negative integer, found -1");
    assertThatThrownBy(() -> load(config("\"cache\":{\"maxEntries\":0},", certs)))
        .hasMessageContaining("cache.maxEntries must be a positive integer, found 0");
  }

  @Test
  void unknown_keys_are_warned_about_by_their_path() throws Exception {
    VerificationConfig c =
        load(config("\"executer\":{},", "\"verificationCerts\":[" + quote(cert()) + "],\"colour\":\"blue\","));
    assertThat(c.warnings())
        .containsExactlyInAnyOrder(
            "unknown key executer is ignored", "unknown key verifier.plugins[0].colour is ignored");
  }

  @Test
  void wrong_types_are_rejected_with_the_key_path() {
    assertThatThrownBy(() -> load(config("\"executor\":{\"verificationRequestTimeout\":\"5s\"},",
            "\"verificationCerts\":[" + quote(cert()) + "],")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("executor.verificationRequestTimeout must be a positive integer");
    assertThatThrownBy(() -> load(config("", "\"verificationCerts\":" + quote(cert()) + ",")))
        .hasMessageContaining("verifier.plugins[0].verificationCerts must be an array of strings, found a string");
  }

  @Test
  void unsupported_store_and_verifier_names_are_named() {
    assertThatThrownBy(() -> load(config("", "\"verificationCerts\":[" + quote(cert()) + "],")
            .replace("\"ocilayout\"", "\"s3\"")))
        .hasMessageContaining("store.plugins[0].name \"s3\" is not a supported store");
    assertThatThrownBy(() -> load(config("", "\"verificationCerts\":[" + quote(cert()) + "],")
            .replace("\"name\":\"notation\"", "\"name\":\"sample\"")))
        .hasMessageContaining("\"sample\"")
        .hasMessageContaining("not a supported verifier");
  }

  @Test
  void an_invalid_trust_policy_is_a_configuration_error() {
    assertThatThrownBy(() -> load(config("", "\"verificationCerts\":[" + quote(cert()) + "],")
            .replace("\"level\":\"strict\"", "\"level\":\"strictest\"")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trustPolicyDoc")
        .hasMessageContaining("strictest");
  }

  @Test
  void duplicate_keys_and_malformed_json_are_rejected() {
    assertThatThrownBy(() -> load("{\"store\":{},\"store\":{}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store");
    assertThatThrownBy(() -> load("{\"store\":")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void a_configuration_over_four_mebibytes_is_refused_before_parsing() {
    // Valid JSON but for its size: the padding is whitespace.
    String valid = config("", "\"verificationCerts\":[" + quote(cert()) + "],");
    String padded = " ".repeat(4 * 1024 * 1024 + 1 - valid.length()) + valid;
    assertThatThrownBy(() -> load(padded))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("larger than the limit of 4194304 bytes");
  }

  @Test
  void relative_paths_resolve_against_the_configuration_directory() throws Exception {
    Path certs = dir.resolve("certs");
    Files.createDirectories(certs);
    Files.copy(Path.of(cert()), certs.resolve("e2e.crt"));
    VerificationConfig c = load(config("", "\"verificationCerts\":[\"certs\"],"));
    assertThat(c.executor().verify(
            "local/e2e@sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9").isSuccess())
        .isTrue();
  }

  @Test
  void a_missing_file_is_reported_with_its_path() {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> VerificationConfig.load(missing, VerificationConfig.Runtime.standard(Clock.systemUTC())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString());
  }

  private String withPolicy(String plugin) {
    return config("", "\"verificationCerts\":[" + quote(cert()) + "],")
        .replace(
            "{\"name\":\"configPolicy\","
                + "\"artifactVerificationPolicies\":{\"application/vnd.cncf.notary.signature\":\"any\"}}",
            plugin);
  }

  private static final String E2E =
      "local/e2e@sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";

  @Test
  void a_cel_policy_decides_in_place_of_the_config_policy() throws Exception {
    VerificationConfig allow =
        load(withPolicy("{\"name\":\"celPolicy\",\"expression\":\"verifierReports.exists(r, r.isSuccess)\"}"));
    assertThat(allow.executor().verify(E2E).isSuccess()).isTrue();
    VerificationConfig deny =
        load(withPolicy("{\"name\":\"cel-policy\",\"expression\":\"verifierReports.exists(r, r.isSuccess"
            + " && r.extensions.Issuer == 'CN=someone else')\"}"));
    assertThat(deny.executor().verify(E2E).isSuccess()).isFalse();
    assertThat(deny.warnings()).isEmpty();
  }

  @Test
  void a_cel_policy_that_fails_at_run_time_denies_a_good_signature() throws Exception {
    VerificationConfig c =
        load(withPolicy("{\"name\":\"celPolicy\",\"expression\":\"verifierReports[0].extensions.nope == 'x'\"}"));
    var result = c.executor().verify(E2E);
    assertThat(result.verifierReports()).anySatisfy(r -> assertThat(r.isSuccess()).isTrue());
    assertThat(result.isSuccess()).isFalse();
  }

  @Test
  void a_cel_policy_that_does_not_compile_is_a_configuration_error_with_its_position() {
    assertThatThrownBy(() -> load(withPolicy(
            "{\"name\":\"celPolicy\",\"expression\":\"verifierReports.exists(r, r.isSucces &&)\"}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("policy.plugin.expression")
        .hasMessageContaining("line 1, column 40");
    assertThatThrownBy(() -> load(withPolicy("{\"name\":\"celPolicy\",\"expression\":\"size(verifierReports)\"}")))
        .hasMessageContaining("policy.plugin.expression")
        .hasMessageContaining("bool");
  }

  @Test
  void a_cel_policy_needs_exactly_one_of_expression_and_expression_file() {
    assertThatThrownBy(() -> load(withPolicy("{\"name\":\"celPolicy\"}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("policy.plugin: give the CEL policy as either expression or expressionFile");
    assertThatThrownBy(() -> load(withPolicy(
            "{\"name\":\"celPolicy\",\"expression\":\"true\",\"expressionFile\":\"p.cel\"}")))
        .hasMessageContaining("either expression or expressionFile");
    assertThatThrownBy(() -> load(withPolicy("{\"name\":\"celPolicy\",\"expression\":true}")))
        .hasMessageContaining("policy.plugin.expression must be a string, found a boolean");
  }

  @Test
  void a_cel_policy_file_is_read_relative_to_the_configuration_and_named_as_trust_material()
      throws Exception {
    Files.writeString(dir.resolve("policy.cel"), "// notary signatures only\nverifierReports.all(r, r.isSuccess)");
    VerificationConfig c =
        load(withPolicy("{\"name\":\"celPolicy\",\"expressionFile\":\"policy.cel\",\"colour\":1}"));
    assertThat(c.executor().verify(E2E).isSuccess()).isTrue();
    assertThat(c.warnings()).containsExactly("unknown key policy.plugin.colour is ignored");
    assertThat(c.referencedFiles()).containsExactlyInAnyOrder(Path.of(cert()).toAbsolutePath().normalize(),
        dir.resolve("policy.cel").toAbsolutePath().normalize());
    assertThatThrownBy(() -> load(withPolicy("{\"name\":\"celPolicy\",\"expressionFile\":\"missing.cel\"}")))
        .hasMessageContaining("policy.plugin.expressionFile")
        .hasMessageContaining("missing.cel");
  }

  @Test
  void rego_policies_are_refused_with_a_pointer_to_cel() {
    assertThatThrownBy(() -> load(withPolicy("{\"name\":\"regoPolicy\",\"policy\":\"package ratify.policy\"}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"regoPolicy\" is not a supported policy provider")
        .hasMessageContaining("celPolicy");
  }

  @Test
  void the_certificate_stores_are_named_as_trust_material() throws Exception {
    VerificationConfig c =
        load(config("", "\"verificationCertStores\":{\"ca\":{\"certs\":[" + quote(cert()) + "]}},"));
    assertThat(c.referencedFiles()).containsExactly(Path.of(cert()).toAbsolutePath().normalize());
  }

  @Test
  void a_missing_certificate_path_loads_with_a_warning_and_every_decision_that_needs_it_fails()
      throws Exception {
    Path missing = dir.resolve("certs/gone.crt");
    VerificationConfig c =
        load(config("", "\"verificationCertStores\":{\"ca\":{\"certs\":[\"certs/gone.crt\"]}},"));
    assertThat(c.warnings())
        .singleElement(InstanceOfAssertFactories.STRING)
        .startsWith("verifier.plugins[0].verificationCertStores: trust store \"certs\" of type \"ca\":")
        .contains("certificate path " + missing + " does not exist");
    var result = c.executor().verify(E2E);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.isSuccess()).isFalse())
        .allSatisfy(
            r -> assertThat(r.message() + " " + r.errorReason()).contains(missing + " does not exist"));
  }

  @Test
  void one_missing_path_among_present_ones_still_fails_closed() throws Exception {
    VerificationConfig c =
        load(config("", "\"verificationCerts\":[" + quote(cert()) + ",\"absent.crt\"],"));
    assertThat(c.warnings()).singleElement(InstanceOfAssertFactories.STRING).contains("absent.crt");
    assertThat(c.executor().verify(E2E).isSuccess()).isFalse();
  }

  @Test
  void a_path_starting_with_a_tilde_is_under_the_home_directory() {
    String home = System.getProperty("user.home");
    assertThat(ConfigSections.path(dir, "~/.config/notation/x.crt"))
        .isEqualTo(Path.of(home, ".config/notation/x.crt"));
    assertThat(ConfigSections.path(dir, "~other/x.crt")).isEqualTo(dir.resolve("~other/x.crt"));
    assertThat(ConfigSections.path(dir, "certs/../x.crt")).isEqualTo(dir.resolve("x.crt"));
  }

  @Test
  void a_misspelt_key_is_named_with_the_error_it_causes() {
    assertThatThrownBy(
            () ->
                load(config("", "\"verificationCertStore\":{\"ca\":{\"certs\":[" + quote(cert()) + "]}},")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no trusted certificates")
        .hasMessageContaining("unknown key verifier.plugins[0].verificationCertStore is ignored");
  }

  @Test
  void errors_in_several_sections_are_all_named() {
    assertThatThrownBy(
            () ->
                load(withPolicy("{\"name\":\"regoPolicy\"}")
                    .replace("\"ocilayout\"", "\"s3\"")
                    .replace("\"name\":\"notation\"", "\"name\":\"in-toto\"")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"s3\" is not a supported store")
        .hasMessageContaining("\"regoPolicy\" is not a supported policy provider")
        .hasMessageContaining("\"in-toto\" (type \"in-toto\") is not a supported verifier");
  }

  @Test
  void a_docker_config_that_is_not_json_is_an_error_naming_the_file() throws Exception {
    Path docker = dir.resolve("docker.json");
    Files.writeString(docker, "auths: {}\n");
    String oras =
        "{\"name\":\"oras\",\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":\"docker.json\"}}";
    String json =
        config("", "\"verificationCerts\":[" + quote(cert()) + "],")
            .replaceFirst("\\{\"name\":\"ocilayout\",\"path\":\"[^\"]*\"}", java.util.regex.Matcher.quoteReplacement(oras));
    assertThat(json).contains("dockerConfig");
    assertThatThrownBy(() -> load(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.plugins[0]")
        .hasMessageContaining(docker.toString());
    Files.writeString(docker, "{\"auths\":{}}");
    assertThat(load(json).warnings()).isEmpty();
  }
}
