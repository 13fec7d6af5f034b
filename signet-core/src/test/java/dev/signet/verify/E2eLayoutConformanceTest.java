package dev.signet.verify;

import dev.signet.result.ErrorCode;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The notation CLI's end-to-end OCI layouts (real notation output) verified through the whole
 * engine (config.json, OCI layout store, notation verifier, config policy), at every level and
 * override, with the outcomes the notation e2e suites expect (MANIFEST.md, "notation CLI: e2e data").
 */
class E2eLayoutConformanceTest {
  private static final String E2E = "notation/test/e2e/testdata/";
  private static final String IMAGE = "sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";
  /** A fixed clock: after every e2e signing certificate's expiry that the cases rely on. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  record Case(
      String layout,
      String policy,
      String caStore,
      boolean verified,
      String failedCheck,
      String reasonContains,
      String warningContains) {
    @Override
    public String toString() {
      return layout + " + " + policy + " (ca:e2e = " + caStore + ")";
    }
  }

  static Stream<Arguments> cases() {
    String e2e = "e2e.crt";
    String wrong = "new_e2e.crt";
    String expiredCert = "expired_e2e.crt";
    return Stream.of(
            new Case("e2e-valid-signature", "trustpolicy.json", e2e, true, null, null, null),
            new Case("e2e-valid-signature", "valid_trusted_identity_trustpolicy.json", e2e, true, null, null, null),
            new Case("e2e-valid-signature", "any_registry_scope_trust_policy.json", e2e, true, null, null, null),
            new Case("e2e-valid-signature", "invalid_trusted_identity_trustpolicy.json", e2e, false,
                "trustedIdentity", "signing certificate from the digital signature does not match the X.509 trusted identities", null),
            new Case("e2e-valid-signature", "trustpolicy.json", wrong, false,
                "authenticity", "the signature's certificate chain does not contain any trusted certificate", null),
            new Case("e2e-valid-signature", "permissive_trustpolicy.json", wrong, false,
                "authenticity", "does not contain any trusted certificate", null),
            new Case("e2e-valid-signature", "audit_trustpolicy.json", wrong, true, null, null,
                "authenticity was set to \"log\""),
            new Case("e2e-valid-signature", "override_strict_trustpolicy.json", wrong, true, null, null,
                "authenticity was set to \"log\""),
            new Case("e2e-valid-signature", "override_permissive_trustpolicy.json", wrong, true, null, null,
                "authenticity was set to \"log\""),
            new Case("e2e-valid-signature", "override_audit_trustpolicy.json", wrong, false,
                "authenticity", "does not contain any trusted certificate", null),
            new Case("e2e-expired-signature", "trustpolicy.json", e2e, false, "expiry", "digital signature has expired", null),
            new Case("e2e-expired-signature", "permissive_trustpolicy.json", e2e, true, null, null, "expiry was set to \"log\""),
            new Case("e2e-expired-signature", "audit_trustpolicy.json", e2e, true, null, null, "expiry was set to \"log\""),
            new Case("e2e-expired-signature", "override_strict_trustpolicy.json", e2e, true, null, null, "expiry was set to \"log\""),
            new Case("e2e-expired-signature", "override_permissive_trustpolicy.json", e2e, false, "expiry", "digital signature has expired", null),
            new Case("e2e-expired-signature", "override_audit_trustpolicy.json", e2e, false, "expiry", "digital signature has expired", null),
            new Case("e2e-with-expired-cert", "trustpolicy.json", expiredCert, false, "authenticTimestamp",
                "verification time is after certificate \"O=Internet Widgits Pty Ltd,ST=Some-State,C=AU\" validity period, it was expired at \"Tue, 27 Jun 2023 06:10:00 +0000\"", null),
            new Case("e2e-with-expired-cert", "override_permissive_trustpolicy.json", expiredCert, false, "authenticTimestamp", "validity period", null),
            new Case("e2e-with-expired-cert", "override_audit_trustpolicy.json", expiredCert, false, "authenticTimestamp", "validity period", null),
            new Case("e2e-with-expired-cert", "permissive_trustpolicy.json", expiredCert, true, null, null, "authenticTimestamp was set to \"log\""),
            new Case("e2e-with-expired-cert", "audit_trustpolicy.json", expiredCert, true, null, null, "authenticTimestamp was set to \"log\""),
            new Case("e2e-with-expired-cert", "override_strict_trustpolicy.json", expiredCert, true, null, null, "authenticTimestamp was set to \"log\""),
            new Case("e2e-invalid-signature", "trustpolicy.json", e2e, false, "integrity",
                "signature envelope format with media type \"application/vnd.oci.image.layer.v1.tar\" is not supported", null),
            new Case("e2e-invalid-signature", "permissive_trustpolicy.json", e2e, false, "integrity", "is not supported", null),
            new Case("e2e-invalid-signature", "audit_trustpolicy.json", e2e, false, "integrity", "is not supported", null),
            new Case("e2e-invalid-signature", "skip_trustpolicy.json", e2e, true, null, null, null),
            new Case("e2e-valid-multiple-signatures", "trustpolicy.json", e2e, true, null, null, null))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void layout_verifies_as_notation_expects(Case c) throws Exception {
    Path config =
        config(
            c.layout(),
            policy(c.policy()),
            List.of(Vectors.notary(E2E + "config/localkeys/" + c.caStore()).toString()),
            List.of());
    VerificationResult result = verify(config, "local/e2e@" + IMAGE);

    assertThat(result.isSuccess()).as(result.toString()).isEqualTo(c.verified());
    if (c.verified()) {
      assertThat(result.verifierReports()).anyMatch(VerifierReport::isSuccess);
      if (c.warningContains() != null) {
        assertThat(result.verifierReports())
            .anySatisfy(r -> assertThat(r.extensions().get("warnings").toString()).contains(c.warningContains()));
      }
    } else {
      assertThat(result.verifierReports())
          .anySatisfy(
              r -> {
                assertThat(r.isSuccess()).isFalse();
                assertThat(r.extensions().get("failedCheck")).isEqualTo(c.failedCheck());
                assertThat(r.errorReason()).contains(c.reasonContains());
                assertThat(r.remediation()).isNotBlank();
              });
    }
  }

  @Test
  void skip_level_says_so() throws Exception {
    Path config =
        config("e2e-valid-signature", policy("skip_trustpolicy.json"),
            List.of(Vectors.notary(E2E + "config/localkeys/e2e.crt").toString()), List.of());
    VerificationResult result = verify(config, "local/e2e@" + IMAGE);
    assertThat(result.isSuccess()).isTrue();
    assertThat(result.verifierReports().get(0).message())
        .isEqualTo("Trust policy is configured to skip signature verification");
  }

  @Test
  void an_unsigned_image_fails_saying_no_signature_was_found() throws Exception {
    Path config =
        config("e2e", policy("trustpolicy.json"),
            List.of(Vectors.notary(E2E + "config/localkeys/e2e.crt").toString()), List.of());
    VerificationResult result = verify(config, "local/e2e@" + IMAGE);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).singleElement()
        .satisfies(r -> {
          assertThat(r.errorCode()).isEqualTo(ErrorCode.NO_VERIFIER_REPORT);
          assertThat(r.message()).contains("no signature was found");
        });
  }

  @Test
  void the_multiple_signature_layout_reports_each_signature() throws Exception {
    Path config =
        config("e2e-valid-multiple-signatures", policy("trustpolicy.json"),
            List.of(Vectors.notary(E2E + "config/localkeys/e2e.crt").toString()), List.of());
    VerificationResult result = verify(config, "local/e2e@" + IMAGE);
    assertThat(result.verifierReports()).hasSize(2);
    assertThat(result.verifierReports()).filteredOn(VerifierReport::isSuccess).singleElement()
        .satisfies(r -> assertThat(r.referenceDigest())
            .isEqualTo("sha256:90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f"));
    assertThat(result.verifierReports()).filteredOn(r -> !r.isSuccess()).singleElement()
        .satisfies(r -> assertThat(r.extensions().get("failedCheck")).isEqualTo("authenticity"));
  }

  @Test
  void a_policy_for_another_repository_does_not_apply() throws Exception {
    Path config =
        config("e2e-valid-signature", policy("invalid_registry_scope_trustpolicy.json"),
            List.of(Vectors.notary(E2E + "config/localkeys/e2e.crt").toString()), List.of());
    VerificationResult result = verify(config, "local/e2e@" + IMAGE);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports().get(0).errorReason())
        .contains("has no applicable oci trust policy statement");
  }

  @Test
  void timestamped_signature_of_an_expired_certificate_needs_a_trusted_timestamp() throws Exception {
    // testcert7 expired on 2025-01-22; the layout's token comes from a Microsoft TSA whose root is
    // not shipped, so the GlobalSign/DigiCert tsa:e2e store cannot anchor it.
    String layout = "e2e-with-timestamped-signature";
    String ca = leafOfFirstSignature(layout).toString();
    String subject = "local/e2e@sha256:53b0191218aed9a3c1f7c661736ac40cfc8eb928642348fd843ba3f0483c0c20";

    // The signature itself expired before its certificate did: log expiry to reach the timestamp.
    VerificationResult withoutTsa =
        verify(config(layout, expiryLogged(policy("trustpolicy.json")), List.of(ca), List.of()), subject);
    assertThat(withoutTsa.isSuccess()).isFalse();
    assertThat(withoutTsa.verifierReports().get(0).errorReason())
        .contains("verification time is after certificate \"CN=testcert7");

    VerificationResult withTsa =
        verify(
            config(layout, expiryLogged(policy("timestamp_after_cert_expiry_trustpolicy.json")), List.of(ca), tsaE2e()),
            subject);
    assertThat(withTsa.isSuccess()).isFalse();
    assertThat(withTsa.verifierReports().get(0).extensions().get("failedCheck")).isEqualTo("authenticTimestamp");
    assertThat(withTsa.verifierReports().get(0).errorReason())
        .contains("failed to verify the timestamp countersignature")
        .contains("certificate signed by unknown authority");
  }

  @Test
  void an_unparseable_timestamp_fails_authentic_timestamp() throws Exception {
    String layout = "e2e-with-invalid-timestamped-signature";
    String ca = leafOfFirstSignature(layout).toString();
    Path config = config(layout, expiryLogged(policy("timestamp_trustpolicy.json")), List.of(ca), tsaE2e());
    String subject = "local/e2e@" + onlyImage(layout);
    VerificationResult result = verify(config, subject);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports().get(0).errorReason())
        .startsWith("failed to parse timestamp countersignature");
  }

  private List<String> tsaE2e() {
    return List.of(
        Vectors.notary(E2E + "config/timestamp/globalsignTSARoot.cer").toString(),
        Vectors.notary(E2E + "config/timestamp/DigiCertTSARootSHA384.cer").toString());
  }

  private static VerificationResult verify(Path config, String subject) throws Exception {
    VerificationConfig loaded = VerificationConfig.load(config, VerificationConfig.Runtime.standard(CLOCK));
    return loaded.executor().verify(subject);
  }

  private static JsonNode policy(String file) throws Exception {
    return StrictJson.MAPPER.readTree(
        Files.readAllBytes(Vectors.notary(E2E + "config/trustpolicies/" + file)));
  }

  private static JsonNode expiryLogged(JsonNode policy) {
    for (JsonNode statement : policy.path("trustPolicies")) {
      ((ObjectNode) statement.path("signatureVerification")).putObject("override").put("expiry", "log");
    }
    return policy;
  }

  /** A Ratify config.json for an e2e layout with stores {@code ca:e2e} and {@code tsa:e2e}. */
  private Path config(String layout, JsonNode trustPolicy, List<String> ca, List<String> tsa) throws Exception {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.putObject("store").putArray("plugins").addObject()
        .put("name", "ocilayout")
        .put("path", Vectors.notary(E2E + "registry/oci_layout/" + layout).toString());
    root.putObject("policy").putObject("plugin").put("name", "configPolicy")
        .putObject("artifactVerificationPolicies").put("application/vnd.cncf.notary.signature", "any");
    ObjectNode notation = root.putObject("verifier").putArray("plugins").addObject();
    notation.put("name", "notation").put("artifactTypes", "application/vnd.cncf.notary.signature");
    ObjectNode stores = notation.putObject("verificationCertStores");
    ca.forEach(stores.putObject("ca").putArray("e2e")::add);
    if (!tsa.isEmpty()) {
      tsa.forEach(stores.putObject("tsa").putArray("e2e")::add);
    }
    notation.set("trustPolicyDoc", trustPolicy);
    Path file = dir.resolve("config-" + System.nanoTime() + ".json");
    Files.write(file, StrictJson.MAPPER.writeValueAsBytes(root));
    return file;
  }

  /** Writes the leaf certificate of the layout's first JWS signature to a PEM file. */
  private Path leafOfFirstSignature(String layout) throws Exception {
    Path blobs = Vectors.notary(E2E + "registry/oci_layout/" + layout + "/blobs/sha256");
    try (Stream<Path> files = Files.list(blobs)) {
      for (Path p : files.toList()) {
        byte[] bytes = Files.readAllBytes(p);
        if (bytes.length == 0 || bytes[0] != '{') {
          continue;
        }
        JsonNode node = StrictJson.MAPPER.readTree(bytes);
        if (node.has("protected") && node.path("header").has("x5c")) {
          String der = node.path("header").path("x5c").get(0).asString();
          Path pem = dir.resolve(layout + "-leaf.pem");
          Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(Base64.getDecoder().decode(der))
              + "\n-----END CERTIFICATE-----\n");
          return pem;
        }
      }
    }
    throw new AssertionError("no JWS envelope in " + layout);
  }

  /** The digest of the layout's image (the index.json entry tagged v1, or the only image manifest). */
  private static String onlyImage(String layout) throws Exception {
    JsonNode index = StrictJson.MAPPER.readTree(
        Files.readAllBytes(Vectors.notary(E2E + "registry/oci_layout/" + layout + "/index.json")));
    for (JsonNode m : index.path("manifests")) {
      if ("v1".equals(m.path("annotations").path("org.opencontainers.image.ref.name").asString(null))) {
        return m.path("digest").asString();
      }
    }
    throw new AssertionError("no v1 tag in " + layout);
  }
}
