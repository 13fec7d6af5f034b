package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.cbor.Cbor;
import dev.signet.cbor.CborLimits;
import dev.signet.cbor.CborValue;
import dev.signet.json.StrictJson;
import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** External COSE vectors from notation-go and notation-core-go, read in place. */
class CoseEnvelopeVectorsTest {

  @ParameterizedTest
  @CsvSource({
    "notation-go/internal/testdata/cose_signature.sig, "
        + "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0, false",
    "derived/notation-go/example_localVerify/signature.cose, "
        + "sha256:c0d488a800e4127c334ad20d61d7bc21b4097540327217dfab52262adc02380c, false",
    "notation-go/verifier/testdata/timestamp/sigEnv/coseWithTimestamp.sig, "
        + "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda, true",
    "notation-go/verifier/testdata/timestamp/sigEnv/coseExpiredWithTimestamp.sig, "
        + "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda, true",
    "notation-go/verifier/testdata/timestamp/sigEnv/timestampAfterNotAfter.sig, "
        + "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda, true"
  })
  void notationEnvelopesVerify(String path, String digest, boolean timestamped) throws Exception {
    byte[] envelope = Files.readAllBytes(Vectors.notary(path));
    EnvelopeContent c = CoseEnvelope.verify(envelope);
    assertThat(c.algorithm()).isEqualTo(SignatureAlgorithm.PS256);
    assertThat(c.signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(c.signingTime()).isNotNull();
    assertThat(c.authenticSigningTime()).isNull();
    assertThat(c.payloadContentType()).isEqualTo(CoseEnvelope.PAYLOAD_CONTENT_TYPE);
    JsonNode target = StrictJson.parseObject(c.payload(), 1 << 20, "payload").get("targetArtifact");
    assertThat(target.get("digest").asString()).isEqualTo(digest);
    assertThat(c.certificateChain()).isNotEmpty();
    assertThat(c.leaf().getSubjectX500Principal().getName()).isNotEmpty();
    assertThat(c.signature()).hasSize(256);
    if (timestamped) {
      assertThat(c.timestampToken()).isNotEmpty();
      assertThat(c.timestampToken()[0]).isEqualTo((byte) 0x30);
    } else {
      assertThat(c.timestampToken()).isNull();
    }
  }

  @Test
  void notationInternalSignatureDetails() throws Exception {
    EnvelopeContent c =
        CoseEnvelope.verify(
            Files.readAllBytes(Vectors.notary("notation-go/internal/testdata/cose_signature.sig")));
    assertThat(c.leaf().getSubjectX500Principal().getName()).contains("CN=alpine");
    JsonNode target = StrictJson.parseObject(c.payload(), 1 << 20, "payload").get("targetArtifact");
    assertThat(target.get("size").asLong()).isEqualTo(481);
    assertThat(target.get("mediaType").asString())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
  }

  @Test
  void tamperedVectorFails() throws Exception {
    byte[] envelope =
        Files.readAllBytes(
            Vectors.notary("derived/notation-go/example_localVerify/signature.cose"));
    envelope[envelope.length - 1] ^= 1;
    assertThatThrownBy(() -> CoseEnvelope.verify(envelope))
        .isInstanceOf(EnvelopeException.class)
        .hasMessage("signature is invalid. Error: verification error");
  }

  @Test
  void conformanceVectorDecodesAndParses() throws Exception {
    JsonNode doc =
        StrictJson.parseObject(
            Files.readAllBytes(
                Vectors.notary("notation-core-go/signature/cose/testdata/conformance.json")),
            1 << 20,
            "conformance");
    HexFormat hex = HexFormat.of();
    byte[] message =
        hex.parseHex(doc.get("expectedOutput").get("cborHex").asString().toLowerCase());
    byte[] protectedHex =
        hex.parseHex(doc.get("protectedHeaders").get("cborHex").asString().toLowerCase());
    byte[] unprotectedHex =
        hex.parseHex(doc.get("unprotectedHeaders").get("cborHex").asString().toLowerCase());

    // The CBOR decodes, and our canonical encoder reproduces notation's bytes exactly.
    CborValue decoded = Cbor.decode(message, CborLimits.DEFAULT);
    assertThat(Cbor.encode(decoded)).isEqualTo(message);
    assertThat(Cbor.encode(Cbor.decode(protectedHex, CborLimits.DEFAULT))).isEqualTo(protectedHex);
    assertThat(Cbor.encode(Cbor.decode(unprotectedHex, CborLimits.DEFAULT)))
        .isEqualTo(unprotectedHex);
    CborValue.Array sign1 = (CborValue.Array) ((CborValue.Tag) decoded).content();
    assertThat(((CborValue.Bytes) sign1.get(0)).value()).isEqualTo(protectedHex);

    CoseEnvelope.Parsed parsed = CoseEnvelope.parse(message);
    CoseEnvelope.ProtectedHeader header = parsed.protectedHeader();
    SignedAttributes h = header.signed();
    assertThat(h.algorithm()).isEqualTo(SignatureAlgorithm.PS384);
    assertThat(header.critical())
        .containsExactly(
            CborValue.of("io.cncf.notary.signingScheme"),
            CborValue.of("io.cncf.notary.expiry"),
            CborValue.of("signedCritKey1"));
    assertThat(h.contentType()).isEqualTo(CoseEnvelope.PAYLOAD_CONTENT_TYPE);
    assertThat(h.signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(h.signingTime()).isEqualTo(Instant.ofEpochSecond(1661321924));
    assertThat(h.signingTime().getEpochSecond()).isEqualTo(doc.get("signingTime").asLong());
    assertThat(h.expiry()).isEqualTo(Instant.ofEpochSecond(1661408324));
    assertThat(h.expiry().getEpochSecond()).isEqualTo(doc.get("expiry").asLong());
    assertThat(h.authenticSigningTime()).isNull();
    assertThat(h.extendedAttributes())
        .containsExactly(
            new ExtendedAttribute("signedKey1", "signedValue1", false),
            new ExtendedAttribute("signedCritKey1", "signedCritValue1", true));
    assertThat(parsed.payload()).isEqualTo("hello COSE".getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.unprotectedHeader().signingAgent())
        .isEqualTo("NotationConformanceTest/1.0.0");
    assertThat(parsed.unprotectedHeader().certificates()).isEmpty();
    assertThat(parsed.unprotectedHeader().timestampToken()).isNull();
    assertThat(parsed.signature()).hasSize(384);

    // The signature is from a random key and there is no x5chain: verification stops at the
    // certificate stage, after every parsing rule passed.
    assertThatThrownBy(() -> CoseEnvelope.verify(message))
        .isInstanceOf(EnvelopeException.class)
        .hasMessage("certificate chain is not present");
  }

  @Test
  void conformanceVectorWithAForeignChainFailsAtTheSignature() throws Exception {
    // Give the conformance message a real RSA-3072 chain (PS384): it then fails exactly at the
    // signature check, proving nothing before it objects.
    JsonNode doc =
        StrictJson.parseObject(
            Files.readAllBytes(
                Vectors.notary("notation-core-go/signature/cose/testdata/conformance.json")),
            1 << 20,
            "conformance");
    byte[] message =
        HexFormat.of().parseHex(doc.get("expectedOutput").get("cborHex").asString().toLowerCase());
    CborValue.Array sign1 =
        (CborValue.Array) ((CborValue.Tag) Cbor.decode(message, CborLimits.DEFAULT)).content();
    CborValue.Map unprotected = (CborValue.Map) sign1.get(1);
    List<CborValue.Entry> entries = new java.util.ArrayList<>(unprotected.entries());
    entries.add(
        new CborValue.Entry(
            CborValue.of(33),
            new CborValue.Array(
                CborValue.of(
                    CoseEnvelopeTest.leaf(dev.signet.testkit.TestPki.KeyType.RSA_3072)
                        .certificate()
                        .getEncoded()))));
    byte[] withChain =
        Cbor.encode(
            new CborValue.Tag(
                18,
                new CborValue.Array(
                    sign1.get(0), new CborValue.Map(entries), sign1.get(2), sign1.get(3))));
    assertThatThrownBy(() -> CoseEnvelope.verify(withChain))
        .isInstanceOf(EnvelopeException.class)
        .hasMessage("signature is invalid. Error: verification error");
  }
}
