package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.StrictJson;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The external JWS vectors (MANIFEST.md), read in place. */
class JwsEnvelopeVectorsTest {
  private static final String MOCK = "notation-go/internal/mock/testdata/";
  private static final String LAYOUTS = "notation/test/e2e/testdata/registry/oci_layout/";
  private static final String TIMESTAMP = "notation-go/verifier/testdata/timestamp/sigEnv/";

  static byte[] read(String path) throws Exception {
    return Files.readAllBytes(Vectors.notary(path));
  }

  /** A blob of an e2e OCI layout. */
  static String blob(String layout, String hex) {
    return LAYOUTS + layout + "/blobs/sha256/" + hex;
  }

  static EnvelopeContent verify(String path) throws Exception {
    return JwsEnvelope.verify(read(path));
  }

  static Map<String, ExtendedAttribute> attributes(EnvelopeContent content) {
    return content.extendedAttributes().stream()
        .collect(Collectors.toMap(ExtendedAttribute::key, a -> a));
  }

  static String payload(EnvelopeContent content) {
    return new String(content.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void caValid() throws Exception {
    EnvelopeContent content = verify(MOCK + "ca_valid_sig_env.json");
    assertThat(content.algorithm()).isEqualTo(SignatureAlgorithm.PS384);
    assertThat(content.signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(content.signingTime()).isEqualTo(Instant.parse("2020-11-09T07:00:00Z"));
    assertThat(content.expiry()).isEqualTo(Instant.parse("2120-11-09T07:00:00Z"));
    assertThat(content.extendedAttributes()).isEmpty();
    assertThat(content.certificateChain()).hasSize(2);
    assertThat(content.leaf().getSubjectX500Principal().getName())
        .isEqualTo("CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US");
    // The mock vectors spell the key io.cncf.notary.SigningAgent.
    assertThat(content.signingAgent()).isNotBlank();
    assertThat(payload(content))
        .contains(
            "sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e",
            "\"size\":528");
  }

  @Test
  void saValid() throws Exception {
    EnvelopeContent content = verify(MOCK + "sa_valid_sig_env.json");
    assertThat(content.signingScheme()).isEqualTo(SigningScheme.X509_SIGNING_AUTHORITY);
    assertThat(content.signingTime()).isNull();
    assertThat(content.authenticSigningTime()).isEqualTo(Instant.parse("2020-11-09T07:00:00Z"));
    assertThat(content.expiry()).isEqualTo(Instant.parse("2120-11-09T07:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ca_invalid_sig_env.json", "sa_invalid_sig_env.json"})
  void paddedPayloadFailsLikeNotation(String file) throws Exception {
    byte[] envelope = read(MOCK + file);
    assertThatThrownBy(() -> JwsEnvelope.verify(envelope))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageStartingWith(
            "signature is invalid. Error: illegal base64 data at input byte 242");
  }

  @ParameterizedTest
  @CsvSource({"ca_expired_sig_env.json, X509", "sa_expired_sig_env.json, X509_SIGNING_AUTHORITY"})
  void expiredEnvelopesVerifyAndReportTheirExpiry(String file, SigningScheme scheme)
      throws Exception {
    EnvelopeContent content = verify(MOCK + file);
    assertThat(content.signingScheme()).isEqualTo(scheme);
    assertThat(content.effectiveSigningTime()).isEqualTo(Instant.parse("2022-07-29T00:00:00Z"));
    assertThat(content.expiry()).isEqualTo(Instant.parse("2022-07-29T23:59:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ca_plugin_sig_env.json", "sa_plugin_sig_env.json"})
  void pluginEnvelopesReportTheirCriticalAttributes(String file) throws Exception {
    EnvelopeContent content = verify(MOCK + file);
    assertThat(content.extendedAttributes())
        .containsExactlyInAnyOrder(
            new ExtendedAttribute("SomeKey", "SomeValue", true),
            new ExtendedAttribute("io.cncf.notary.verificationPlugin", "plugin-name", true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "compatible_pluginver_sig_env_0.0.9",
        "compatible_pluginver_sig_env_1.0.0-alpha",
        "compatible_pluginver_sig_env_1.0.0-alpha.beta",
        "compatible_pluginver_sig_env_1.0.0",
        "incompatible_pluginver_sig_env_1.0.1",
        "incompatible_pluginver_sig_env_1.0.9",
        "incompatible_pluginver_sig_env_1.1.0-alpha",
        "incompatible_pluginver_sig_env_1.2.3"
      })
  void pluginVersionEnvelopes(String name) throws Exception {
    EnvelopeContent content = verify(MOCK + "ca_" + name + ".json");
    String version = name.substring(name.lastIndexOf('_') + 1);
    assertThat(content.algorithm()).isEqualTo(SignatureAlgorithm.PS256);
    assertThat(content.leaf().getSubjectX500Principal().getName())
        .contains("CN=wabbit-networks.io");
    assertThat(content.extendedAttributes())
        .containsExactlyInAnyOrder(
            new ExtendedAttribute(
                "io.cncf.notary.verificationPlugin", "io.cncf.notary.plugin.unittest.mock", true),
            new ExtendedAttribute("io.cncf.notary.verificationPluginMinVersion", version, true));
  }

  @Test
  void envelopeWithMetadata() throws Exception {
    EnvelopeContent content = verify(MOCK + "sig_env_with_metadata.json");
    assertThat(content.signingTime()).isEqualTo(Instant.parse("2023-01-11T18:02:54Z"));
    JsonNode annotations =
        StrictJson.parseObject(content.payload(), 1 << 20, "payload")
            .get("targetArtifact")
            .get("annotations");
    assertThat(annotations.get("io.wabbit-networks.buildId").asString()).isEqualTo("123");
    assertThat(annotations.get("io.wabbit-networks.buildTime").asString()).isEqualTo("1672944615");
  }

  @ParameterizedTest
  @CsvSource({
    "notation-go/internal/testdata/jws_signature.sig, PS256, CN=alpine",
    "derived/notation-go/example_verifyBlob/signature.jws.sig, PS384, CN=Notation Example"
        + " self-signed",
    "derived/notation-go/verifier/verifier_test/testSig.jws.sig, PS384, ''",
    "notation/test/e2e/testdata/signatures/blob.jws.sig, PS256, CN=testcert2"
  })
  void notationSignaturesVerify(String path, SignatureAlgorithm alg, String subject)
      throws Exception {
    EnvelopeContent content = verify(path);
    assertThat(content.algorithm()).isEqualTo(alg);
    assertThat(content.signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(content.signingTime()).isNotNull();
    assertThat(content.leaf().getSubjectX500Principal().getName()).contains(subject);
  }

  @Test
  void verifyBlobExampleSigningTimeKeepsItsOffset() throws Exception {
    EnvelopeContent content = verify("derived/notation-go/example_verifyBlob/signature.jws.sig");
    assertThat(content.signingTime()).isEqualTo(Instant.parse("2024-04-04T21:20:21Z"));
  }

  @Test
  void blobSignatureCarriesATimestampToken() throws Exception {
    EnvelopeContent content = verify("notation/test/e2e/testdata/signatures/blob.jws.sig");
    assertThat(content.timestampToken()).isNotEmpty();
    assertThat(content.timestampToken()[0]).isEqualTo((byte) 0x30);
  }

  @Test
  void malformedE2eSignatureIsRejected() throws Exception {
    byte[] envelope = read("notation/test/e2e/testdata/signatures/malformed.jws.sig");
    assertThatThrownBy(() -> JwsEnvelope.verify(envelope))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("not valid JSON");
  }

  @ParameterizedTest
  @CsvSource({
    "e2e-valid-signature, c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50, CN=e2e",
    "e2e-expired-signature, b5f927564088f65dad86c81bcdd0b55415a8b4c9a0a5391107210e0cdb305cc7,"
        + " CN=e2e",
    "e2e-with-expired-cert, 8513a5ba473f32b78a87518b732700632c05cde0d59d179275c5c5a8096beeed,"
        + " O=Internet Widgits Pty Ltd",
    "e2e-valid-multiple-signatures,"
        + " a54333638acfa773a6b25429ee409b558d39c6f3c45dd14f714d72452bc36481, CN=testcert11",
    "e2e-valid-multiple-signatures,"
        + " c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50, CN=e2e",
    "e2e-with-timestamped-signature,"
        + " 603ff134e97a79cd7a15560b76137c2c4a10451daab11327a7c6f86dac250fee, CN=testcert7",
    "e2e-with-invalid-timestamped-signature,"
        + " 8d2e70ffc2af68b7f2df6f30dfefcb7bcda1db5f9ac2566fc8c6c2248c8d4c5f, CN=testcert7"
  })
  void e2eLayoutSignaturesVerify(String layout, String blob, String subject) throws Exception {
    EnvelopeContent content = verify(blob(layout, blob));
    assertThat(content.algorithm()).isEqualTo(SignatureAlgorithm.PS256);
    assertThat(content.leaf().getSubjectX500Principal().getName()).contains(subject);
  }

  @Test
  void e2eSignedTimeWithOffset() throws Exception {
    EnvelopeContent content =
        verify(
            blob(
                "e2e-valid-signature",
                "c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50"));
    assertThat(content.signingTime()).isEqualTo(Instant.parse("2023-06-27T05:30:33Z"));
  }

  @Test
  void e2eExpiredSignatureReportsExpiry() throws Exception {
    EnvelopeContent content =
        verify(
            blob(
                "e2e-expired-signature",
                "b5f927564088f65dad86c81bcdd0b55415a8b4c9a0a5391107210e0cdb305cc7"));
    assertThat(content.expiry()).isEqualTo(Instant.parse("2023-06-27T05:21:21Z"));
  }

  @Test
  void e2eTimestampedSignatures() throws Exception {
    EnvelopeContent good =
        verify(
            blob(
                "e2e-with-timestamped-signature",
                "603ff134e97a79cd7a15560b76137c2c4a10451daab11327a7c6f86dac250fee"));
    assertThat(good.timestampToken()).isNotEmpty();
    assertThat(good.expiry()).isEqualTo(Instant.parse("2025-01-21T12:39:46Z"));
    assertThat(payload(good)).contains("\"purpose\":\"e2e\"");
    // The token is carried as bytes; judging it is the timestamp verifier's job.
    EnvelopeContent bad =
        verify(
            blob(
                "e2e-with-invalid-timestamped-signature",
                "8d2e70ffc2af68b7f2df6f30dfefcb7bcda1db5f9ac2566fc8c6c2248c8d4c5f"));
    assertThat(bad.timestampToken()).isEqualTo("invalid\n".getBytes(StandardCharsets.US_ASCII));
  }

  @ParameterizedTest
  @CsvSource({
    "jwsWithTimestamp.sig, true",
    "jwsExpiredWithTimestamp.sig, true",
    "timestampBeforeNotBefore.sig, true",
    "withoutTimestamp.sig, false"
  })
  void timestampVectors(String file, boolean hasToken) throws Exception {
    EnvelopeContent content = verify(TIMESTAMP + file);
    assertThat(content.algorithm()).isEqualTo(SignatureAlgorithm.PS256);
    assertThat(payload(content))
        .contains("sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda");
    if (hasToken) {
      assertThat(content.timestampToken()).isNotEmpty();
      assertThat(content.timestampToken()[0]).isEqualTo((byte) 0x30);
    } else {
      assertThat(content.timestampToken()).isNull();
    }
  }

  @Test
  void jwsWithTimestampSigningTime() throws Exception {
    assertThat(verify(TIMESTAMP + "jwsWithTimestamp.sig").signingTime())
        .isEqualTo(Instant.parse("2024-06-18T06:29:33Z"));
  }

  @Test
  void conformanceProtectedHeader() throws Exception {
    JsonNode envelope = StrictJson.parseObject(read(CONFORMANCE), 1 << 20, "conformance vector");
    byte[] protectedBytes = Base64.getUrlDecoder().decode(envelope.get("protected").asString());
    SignedAttributes header =
        JwsProtectedHeader.parse(StrictJson.parseObject(protectedBytes, 1 << 16, "header"));

    assertThat(header.algorithm()).isEqualTo(SignatureAlgorithm.ES256);
    assertThat(header.signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(header.signingTime()).isEqualTo(Instant.parse("2022-08-29T13:50:00Z"));
    assertThat(header.expiry()).isEqualTo(Instant.parse("2099-08-30T13:50:00Z"));
    assertThat(header.extendedAttributes())
        .containsExactly(
            new ExtendedAttribute("signedCritKey1", "signedCritValue1", true),
            new ExtendedAttribute("signedKey1", "signedValue1", false),
            new ExtendedAttribute("signedKey2", "signedValue1", false),
            new ExtendedAttribute("signedKey3", "signedValue1", false),
            new ExtendedAttribute("signedKey4", "signedValue1", false));
  }

  private static final String CONFORMANCE =
      "notation-core-go/signature/jws/testdata/conformance.json";

  @Test
  void conformanceEnvelopeHasNoCertificateChain() throws Exception {
    byte[] envelope = read(CONFORMANCE);
    assertThatThrownBy(() -> JwsEnvelope.verify(envelope))
        .isInstanceOf(EnvelopeException.class)
        .hasMessage("certificate chain is not present");
  }

  @Test
  void conformanceEnvelopeParsesAndFailsOnlyAtTheSignature() throws Exception {
    // The vector carries no x5c and was signed by a throwaway key: give it a P-256 certificate so
    // that everything but the signature itself can be checked.
    ObjectNode envelope =
        (ObjectNode) StrictJson.parseObject(read(CONFORMANCE), 1 << 20, "conformance vector");
    TestPki.Issued leaf =
        TestPki.leaf("CN=Conformance").keyType(TestPki.KeyType.EC_P256).selfSigned();
    ((ObjectNode) envelope.get("header"))
        .putArray("x5c")
        .add(Base64.getEncoder().encodeToString(leaf.certificate().getEncoded()));
    byte[] bytes = StrictJson.MAPPER.writeValueAsBytes(envelope);

    JwsEnvelope.ParsedJws parsed = JwsEnvelope.parse(bytes);
    assertThat(parsed.signingAgent()).isEqualTo("NotationConformanceTest/1.0.0");
    assertThat(new String(parsed.payload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"key\":\"hello JWS\"}");
    assertThat(parsed.signature()).hasSize(64);
    assertThat(parsed.header().extendedAttributes().stream().filter(ExtendedAttribute::critical))
        .extracting(ExtendedAttribute::key)
        .isEqualTo(List.of("signedCritKey1"));

    assertThatThrownBy(() -> JwsEnvelope.verify(bytes))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageStartingWith("signature is invalid. Error: crypto/ecdsa: verification error");
  }
}
