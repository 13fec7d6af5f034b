package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.TestPki.KeyType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class JwsEnvelopeTest {
  static TestPki.Issued root;
  static TestPki.Issued ecLeaf;
  static TestPki.Issued rsaLeaf;

  @BeforeAll
  static void pki() {
    root = TestPki.root("CN=JWS Test Root,O=Signet,C=US").selfSigned();
    ecLeaf =
        TestPki.leaf("CN=JWS EC Leaf,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(KeyType.EC_P256))
            .issuedBy(root);
    rsaLeaf =
        TestPki.leaf("CN=JWS RSA Leaf,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(KeyType.RSA_2048))
            .issuedBy(root);
  }

  static JwsTestSigner ec() {
    return JwsTestSigner.of(ecLeaf, root.certificate());
  }

  static JwsTestSigner rsa() {
    return JwsTestSigner.of(rsaLeaf, root.certificate());
  }

  static AbstractThrowableAssert<?, ? extends Throwable> rejects(byte[] envelope) {
    return assertThatThrownBy(() -> JwsEnvelope.verify(envelope))
        .isInstanceOf(EnvelopeException.class);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> rejects(JwsTestSigner signer) {
    return rejects(signer.sign().bytes());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Nested
  class Valid {
    @ParameterizedTest
    @CsvSource({
      "RSA_2048, PS256",
      "RSA_3072, PS384",
      "RSA_4096, PS512",
      "EC_P256, ES256",
      "EC_P384, ES384",
      "EC_P521, ES512"
    })
    void everyAlgorithmVerifiesWithItsKey(KeyType type, SignatureAlgorithm expected)
        throws Exception {
      TestPki.Issued leaf =
          TestPki.leaf("CN=Leaf " + type).keyPair(TestPki.sharedKey(type)).issuedBy(root);
      JwsTestSigner.Envelope signed = JwsTestSigner.of(leaf, root.certificate()).sign();

      EnvelopeContent content = JwsEnvelope.verify(signed.bytes());

      assertThat(content.algorithm()).isEqualTo(expected);
      assertThat(content.signature())
          .isEqualTo(Base64.getUrlDecoder().decode(signed.signatureText()));
      if (expected.isRsaPss()) {
        assertThat(content.signature())
            .hasSize(type == KeyType.RSA_2048 ? 256 : type == KeyType.RSA_3072 ? 384 : 512);
      } else {
        assertThat(content.signature())
            .hasSize(type == KeyType.EC_P521 ? 132 : 2 * expected.hashLength());
      }
      assertThat(content.certificateChain())
          .containsExactly(leaf.certificate(), root.certificate());
      assertThat(content.leaf()).isEqualTo(leaf.certificate());
    }

    @Test
    void reportsEveryField() throws Exception {
      byte[] token = {0x30, 0x03, 0x02, 0x01, 0x07};
      JwsTestSigner signer =
          ec().signingTime("2024-06-18T14:29:33+08:00")
              .expiry("2030-01-01T00:00:00.5-05:00")
              .timestampToken(token)
              .signingAgent("notation-go/1.3.0");
      EnvelopeContent content = JwsEnvelope.verify(signer.sign().bytes());

      assertThat(content.payload()).isEqualTo(signer.descriptorPayload());
      assertThat(content.payloadContentType())
          .isEqualTo("application/vnd.cncf.notary.payload.v1+json");
      assertThat(content.signingScheme()).isEqualTo(SigningScheme.X509);
      assertThat(content.signingTime()).isEqualTo(Instant.parse("2024-06-18T06:29:33Z"));
      assertThat(content.authenticSigningTime()).isNull();
      assertThat(content.effectiveSigningTime()).isEqualTo(content.signingTime());
      assertThat(content.expiry()).isEqualTo(Instant.parse("2030-01-01T05:00:00.5Z"));
      assertThat(content.extendedAttributes()).isEmpty();
      assertThat(content.timestampToken()).isEqualTo(token);
      assertThat(content.signingAgent()).isEqualTo("notation-go/1.3.0");
    }

    @Test
    void signingAuthorityScheme() throws Exception {
      EnvelopeContent content =
          JwsEnvelope.verify(
              ec().scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .authenticSigningTime("2020-11-09T07:00:00Z")
                  .expiry("2120-11-09T07:00:00Z")
                  .sign()
                  .bytes());
      assertThat(content.signingScheme()).isEqualTo(SigningScheme.X509_SIGNING_AUTHORITY);
      assertThat(content.signingTime()).isNull();
      assertThat(content.authenticSigningTime()).isEqualTo(Instant.parse("2020-11-09T07:00:00Z"));
      assertThat(content.effectiveSigningTime()).isEqualTo(content.authenticSigningTime());
    }

    @Test
    void optionalPartsAbsent() throws Exception {
      EnvelopeContent content =
          JwsEnvelope.verify(JwsTestSigner.of(ecLeaf).signingAgent(null).sign().bytes());
      assertThat(content.expiry()).isNull();
      assertThat(content.timestampToken()).isNull();
      assertThat(content.signingAgent()).isNull();
      assertThat(content.certificateChain()).containsExactly(ecLeaf.certificate());
    }

    @Test
    void extendedAttributesKeepTheirValuesAndCriticalFlag() throws Exception {
      EnvelopeContent content =
          JwsEnvelope.verify(
              ec().attribute("io.cncf.notary.verificationPlugin", "plugin-name", true)
                  .attribute("SomeKey", "SomeValue", true)
                  .attribute("count", 7, false)
                  .attribute("huge", new BigInteger("123456789012345678901234567890"), false)
                  .attribute("flag", true, false)
                  .attribute("list", List.of("a", 1), false)
                  .attribute("object", Map.of("k", "v"), false)
                  .attribute("nothing", null, false)
                  .sign()
                  .bytes());
      Map<String, ExtendedAttribute> byKey = new LinkedHashMap<>();
      content.extendedAttributes().forEach(a -> byKey.put(a.key(), a));
      assertThat(byKey.keySet())
          .containsExactly(
              "io.cncf.notary.verificationPlugin",
              "SomeKey",
              "count",
              "huge",
              "flag",
              "list",
              "object",
              "nothing");
      assertThat(byKey.get("io.cncf.notary.verificationPlugin").critical()).isTrue();
      assertThat(byKey.get("SomeKey").critical()).isTrue();
      assertThat(byKey.get("SomeKey").value()).isEqualTo("SomeValue");
      assertThat(byKey.get("count").critical()).isFalse();
      assertThat(byKey.get("count").value()).isEqualTo(7L);
      assertThat(byKey.get("huge").value())
          .isEqualTo(new BigInteger("123456789012345678901234567890"));
      assertThat(byKey.get("flag").value()).isEqualTo(true);
      assertThat(byKey.get("list").value()).isEqualTo(List.of("a", 1L));
      assertThat(byKey.get("object").value()).isEqualTo(Map.of("k", "v"));
      assertThat(byKey.get("nothing").value()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 20, 64})
    void rsaPssWithAnySaltLengthVerifies(int salt) throws Exception {
      JwsTestSigner.Envelope signed = rsa().pssSaltLength(salt).sign();
      EnvelopeContent content = JwsEnvelope.verify(signed.bytes());
      assertThat(content.algorithm()).isEqualTo(SignatureAlgorithm.PS256);
      // The strict JCA check (salt = hash length) alone would reject it.
      assertThat(
              SignatureAlgorithm.PS256.verify(
                  rsaLeaf.certificate().getPublicKey(),
                  (signed.protectedText() + "." + signed.payloadText())
                      .getBytes(StandardCharsets.US_ASCII),
                  content.signature()))
          .isFalse();
    }

    @Test
    void rsaPssPs512WithZeroSaltVerifies() throws Exception {
      TestPki.Issued leaf =
          TestPki.leaf("CN=PS512").keyPair(TestPki.sharedKey(KeyType.RSA_4096)).issuedBy(root);
      EnvelopeContent content =
          JwsEnvelope.verify(JwsTestSigner.of(leaf).pssSaltLength(0).sign().bytes());
      assertThat(content.algorithm()).isEqualTo(SignatureAlgorithm.PS512);
    }

    @Test
    void capitalisedSigningAgentOfTheNotationMockVectorsIsTheSigningAgent() throws Exception {
      byte[] envelope =
          ec().signingAgent(null)
              .sign()
              .withHeader(
                  h -> {
                    h.put("io.cncf.notary.SigningAgent", "Notation/1.0.0");
                    return h;
                  })
              .bytes();
      assertThat(JwsEnvelope.verify(envelope).signingAgent()).isEqualTo("Notation/1.0.0");
    }

    @Test
    void unknownUnprotectedHeaderKeysAreIgnored() throws Exception {
      byte[] envelope =
          ec().sign()
              .withHeader(
                  h -> {
                    h.put("kid", "some-key");
                    h.put("io.example.note", List.of(1, 2));
                    return h;
                  })
              .bytes();
      assertThat(JwsEnvelope.verify(envelope).algorithm()).isEqualTo(SignatureAlgorithm.ES256);
    }

    @Test
    void emptyTimestampSignatureMeansNone() throws Exception {
      byte[] envelope =
          ec().sign()
              .withHeader(
                  h -> {
                    h.put("io.cncf.notary.timestampSignature", "");
                    return h;
                  })
              .bytes();
      assertThat(JwsEnvelope.verify(envelope).timestampToken()).isNull();
    }

    @Test
    void resultDoesNotShareTheSignatureArray() throws Exception {
      byte[] envelope = ec().sign().bytes();
      EnvelopeContent first = JwsEnvelope.verify(envelope);
      first.signature()[0] ^= 1;
      assertThat(JwsEnvelope.verify(envelope).signature()).isNotEqualTo(first.signature());
    }
  }

  @Nested
  class AlgorithmAndKey {
    @Test
    void algHeaderMustMatchTheKey() {
      TestPki.Issued leaf =
          TestPki.leaf("CN=RSA3072").keyPair(TestPki.sharedKey(KeyType.RSA_3072)).issuedBy(root);
      // A valid PS256 signature by a 3072-bit key: the key binds PS384.
      rejects(JwsTestSigner.of(leaf).algorithm(SignatureAlgorithm.PS256))
          .hasMessage(
              "mismatch between signature algorithm derived from signing certificate (PS384)"
                  + " and signing algorithm specified (PS256)");
    }

    @Test
    void ecAlgHeaderMustMatchTheCurve() {
      rejects(ec().algHeader("ES384"))
          .hasMessageContaining("derived from signing certificate (ES256)")
          .hasMessageContaining("specified (ES384)");
    }

    @Test
    void rsaKeyWithEcAlgorithmIsAMismatch() {
      rejects(rsa().algHeader("ES256")).hasMessageContaining("mismatch");
    }

    @Test
    void unsupportedRsaKeySize() {
      TestPki.Issued leaf = TestPki.leaf("CN=RSA1024").keyType(KeyType.RSA_1024).issuedBy(root);
      rejects(JwsTestSigner.of(leaf).algorithm(SignatureAlgorithm.PS256))
          .hasMessage("rsa key size 1024 bits is not supported");
    }

    @Test
    void unsupportedCurve() throws Exception {
      // The JDK no longer implements P-224; BouncyCastle (as an explicit provider) makes the key.
      java.security.KeyPairGenerator generator =
          java.security.KeyPairGenerator.getInstance(
              "EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
      generator.initialize(new java.security.spec.ECGenParameterSpec("secp224r1"));
      TestPki.Issued leaf =
          TestPki.leaf("CN=P224").keyPair(generator.generateKeyPair()).issuedBy(root);
      // Signed by another key: the key check comes before the signature check.
      rejects(
              JwsTestSigner.of(ecLeaf.privateKey(), List.of(leaf.certificate()))
                  .algorithm(SignatureAlgorithm.ES256))
          .hasMessage("ecdsa key size 224 bits is not supported");
    }

    @Test
    void edwardsKeyIsRejected() throws Exception {
      TestPki.Issued leaf =
          TestPki.leaf("CN=Ed25519")
              .keyPair(java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair())
              .issuedBy(root);
      rejects(
              JwsTestSigner.of(ecLeaf.privateKey(), List.of(leaf.certificate()))
                  .algorithm(SignatureAlgorithm.ES256))
          .hasMessageStartingWith("signing certificate key (EdDSA) is not supported");
    }

    @Test
    void curveOfTheRightSizeButNotNistIsRejected() throws Exception {
      java.security.KeyPairGenerator generator =
          java.security.KeyPairGenerator.getInstance(
              "EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
      generator.initialize(new java.security.spec.ECGenParameterSpec("brainpoolP256r1"));
      TestPki.Issued leaf =
          TestPki.leaf("CN=Brainpool").keyPair(generator.generateKeyPair()).issuedBy(root);
      rejects(
              JwsTestSigner.of(ecLeaf.privateKey(), List.of(leaf.certificate()))
                  .algorithm(SignatureAlgorithm.ES256))
          .hasMessageContaining("elliptic curve that is not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "HS256", "none", "EdDSA", "ps256", "ES256K", ""})
    void algOutsideTheAllowListIsRejected(String alg) {
      rejects(ec().algHeader(alg))
          .hasMessageStartingWith("signature algorithm \"" + alg + "\" is not supported");
    }

    @Test
    void missingAlg() {
      rejects(ec().protectedEntry("alg", JwsTestSigner.REMOVE))
          .hasMessageContaining("missing \"alg\"");
    }

    @Test
    void algOfTheWrongType() {
      rejects(ec().protectedEntry("alg", -7)).hasMessageContaining("\"alg\" must be a string");
    }
  }

  @Nested
  class Signature {
    @Test
    void tamperedPayloadFailsTheSignature() {
      JwsTestSigner.Envelope signed = ec().sign();
      String other =
          JwsTestSigner.base64Url(
              ec().payloadDescriptor("application/x", "sha256:" + "0".repeat(64), 1)
                  .descriptorPayload());
      rejects(signed.withPayloadText(other).bytes())
          .hasMessageStartingWith("signature is invalid. Error: crypto/ecdsa: verification error");
    }

    @Test
    void tamperedProtectedHeaderFailsTheSignature() throws Exception {
      JwsTestSigner.Envelope signed = rsa().sign();
      JwsTestSigner.Envelope other = rsa().signingTime("2024-01-02T03:04:06Z").sign();
      rejects(signed.withProtectedText(other.protectedText()).bytes())
          .hasMessageStartingWith("signature is invalid. Error: crypto/rsa: verification error");
    }

    @Test
    void flippedSignatureBitFails() {
      JwsTestSigner.Envelope signed = rsa().sign();
      byte[] sig = Base64.getUrlDecoder().decode(signed.signatureText());
      sig[sig.length / 2] ^= 0x10;
      rejects(signed.withSignatureText(JwsTestSigner.base64Url(sig)).bytes())
          .hasMessageStartingWith("signature is invalid. Error:");
    }

    @Test
    void signatureByAnotherKeyFails() {
      TestPki.Issued other = TestPki.leaf("CN=Other").keyType(KeyType.EC_P256).issuedBy(root);
      JwsTestSigner.Envelope byOther = JwsTestSigner.of(other).sign();
      JwsTestSigner.Envelope signed = ec().sign();
      rejects(signed.withSignatureText(byOther.signatureText()).bytes())
          .hasMessageStartingWith("signature is invalid. Error:");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1})
    void ecSignatureOfTheWrongLengthFails(int delta) {
      JwsTestSigner.Envelope signed = ec().sign();
      byte[] sig = Base64.getUrlDecoder().decode(signed.signatureText());
      byte[] changed = java.util.Arrays.copyOf(sig, sig.length + delta);
      rejects(signed.withSignatureText(JwsTestSigner.base64Url(changed)).bytes())
          .hasMessageStartingWith("signature is invalid. Error:");
    }

    @Test
    void ecDerSignatureIsNotAccepted() throws Exception {
      JwsTestSigner.Envelope signed = ec().sign();
      java.security.Signature der = java.security.Signature.getInstance("SHA256withECDSA");
      der.initSign(ecLeaf.privateKey());
      der.update(
          (signed.protectedText() + "." + signed.payloadText())
              .getBytes(StandardCharsets.US_ASCII));
      rejects(signed.withSignatureText(JwsTestSigner.base64Url(der.sign())).bytes())
          .hasMessageStartingWith("signature is invalid. Error:");
    }

    @Test
    void rsaSignatureOfTheWrongLengthFails() {
      JwsTestSigner.Envelope signed = rsa().sign();
      byte[] sig = Base64.getUrlDecoder().decode(signed.signatureText());
      byte[] longer = new byte[sig.length + 1];
      System.arraycopy(sig, 0, longer, 1, sig.length);
      rejects(signed.withSignatureText(JwsTestSigner.base64Url(longer)).bytes())
          .hasMessageStartingWith("signature is invalid. Error: crypto/rsa");
    }

    @Test
    void rsaPkcs1SignatureIsNotAccepted() throws Exception {
      JwsTestSigner.Envelope signed = rsa().sign();
      java.security.Signature pkcs1 = java.security.Signature.getInstance("SHA256withRSA");
      pkcs1.initSign(rsaLeaf.privateKey());
      pkcs1.update(
          (signed.protectedText() + "." + signed.payloadText())
              .getBytes(StandardCharsets.US_ASCII));
      rejects(signed.withSignatureText(JwsTestSigner.base64Url(pkcs1.sign())).bytes())
          .hasMessageStartingWith("signature is invalid. Error: crypto/rsa");
    }

    @Test
    void emptySignature() {
      rejects(ec().sign().withSignatureText("").bytes())
          .hasMessage("signature missing in jws-json envelope");
    }
  }

  @Nested
  class ProtectedHeader {
    @Test
    void missingCty() {
      rejects(ec().protectedEntry("cty", JwsTestSigner.REMOVE))
          .hasMessageStartingWith("payload content type \"\" not supported");
    }

    @Test
    void wrongCty() {
      rejects(ec().protectedEntry("cty", "application/json"))
          .hasMessageStartingWith("payload content type \"application/json\" not supported");
    }

    @Test
    void ctyOfTheWrongType() {
      rejects(ec().protectedEntry("cty", List.of("x"))).hasMessageContaining("not supported");
    }

    @Test
    void missingSigningScheme() {
      rejects(
              ec().protectedEntry("io.cncf.notary.signingScheme", JwsTestSigner.REMOVE)
                  .crit("io.cncf.notary.expiry"))
          .hasMessageStartingWith("unsupported SigningScheme: ``");
    }

    @Test
    void unknownSigningScheme() {
      rejects(ec().protectedEntry("io.cncf.notary.signingScheme", "notary.default"))
          .hasMessageStartingWith("unsupported SigningScheme: `notary.default`");
    }

    @Test
    void signingSchemeOfTheWrongType() {
      rejects(ec().protectedEntry("io.cncf.notary.signingScheme", true))
          .hasMessageContaining("must be a string");
    }

    @Test
    void x509WithoutSigningTime() {
      rejects(ec().signingTime((String) null)).hasMessageStartingWith("signing-time not present");
    }

    @Test
    void x509WithAuthenticSigningTime() {
      rejects(ec().authenticSigningTime("2024-01-01T00:00:00Z"))
          .hasMessage(
              "\"io.cncf.notary.authenticSigningTime\" header must not be present for notary.x509"
                  + " signing scheme");
    }

    @Test
    void signingAuthorityWithSigningTime() {
      rejects(ec().scheme(SigningScheme.X509_SIGNING_AUTHORITY).signingTime("2024-01-01T00:00:00Z"))
          .hasMessage(
              "\"io.cncf.notary.signingTime\" header must not be present for"
                  + " notary.x509.signingAuthority signing scheme");
    }

    @Test
    void signingAuthorityWithoutAuthenticSigningTime() {
      rejects(ec().scheme(SigningScheme.X509_SIGNING_AUTHORITY).authenticSigningTime((String) null))
          .hasMessageStartingWith(
              "\"io.cncf.notary.authenticSigningTime\" header must be present for notary.x509");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2024-01-02 03:04:05Z",
          "2024-01-02t03:04:05Z",
          "2024-01-02T03:04:05z",
          "2024-01-02T03:04:05",
          "2024-01-02T03:04Z",
          "2024-13-02T03:04:05Z",
          "2024-02-30T03:04:05Z",
          "2024-01-02T24:00:00Z",
          "2024-01-02T03:04:60Z",
          "2024-01-02T03:04:05+0800",
          "2024-01-02T03:04:05.Z",
          "2024-01-02T03:04:05.1234567890Z",
          "1704164645",
          ""
        })
    void timesMustBeRfc3339(String text) {
      rejects(ec().signingTime(text)).hasMessageContaining("is not an RFC 3339 date-time");
      rejects(ec().expiry(text)).hasMessageContaining("is not an RFC 3339 date-time");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2024-01-02T03:04:05Z",
          "2024-01-02T03:04:05.123456789Z",
          "2024-01-02T11:04:05+08:00",
          "2024-01-01T20:04:05-07:00"
        })
    void rfc3339TimesWithOffsetsAndFractions(String text) throws Exception {
      Instant time = JwsEnvelope.verify(ec().signingTime(text).sign().bytes()).signingTime();
      assertThat(time)
          .isBetween(Instant.parse("2024-01-02T03:04:05Z"), Instant.parse("2024-01-02T03:04:06Z"));
    }

    @Test
    void timeOfTheWrongType() {
      rejects(ec().protectedEntry("io.cncf.notary.signingTime", 1704164645))
          .hasMessageContaining("must be an RFC 3339 date-time string");
    }

    @Test
    void expiryMustBeAfterSigningTime() {
      rejects(ec().signingTime("2024-01-02T03:04:05Z").expiry("2024-01-02T11:04:05+08:00"))
          .hasMessageStartingWith("expiry cannot be equal or before the signing time");
      rejects(ec().signingTime("2024-01-02T03:04:05Z").expiry("2024-01-01T00:00:00Z"))
          .hasMessageStartingWith("expiry cannot be equal or before the signing time");
      rejects(
              ec().scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .authenticSigningTime("2024-01-02T03:04:05Z")
                  .expiry("2024-01-02T03:04:04Z"))
          .hasMessageStartingWith("expiry cannot be equal or before the signing time");
    }

    @Test
    void caseVariantOfADefinedKeyIsRejected() {
      rejects(ec().protectedEntry("ALG", "ES256"))
          .hasMessageContaining("\"ALG\" differs from \"alg\" only in case");
      rejects(ec().protectedEntry("io.cncf.notary.Expiry", "2020-01-01T00:00:00Z"))
          .hasMessageContaining("only in case");
    }

    @Test
    void tooManyEntries() {
      JwsTestSigner signer = ec();
      for (int i = 0; i < JwsEnvelope.MAX_HEADER_ENTRIES; i++) {
        signer.attribute("k" + i, i, false);
      }
      rejects(signer).hasMessageContaining("more than the limit of 64");
    }

    @Test
    void oversizedProtectedHeader() {
      rejects(ec().attribute("big", "x".repeat(JwsEnvelope.MAX_PROTECTED_HEADER_BYTES), false))
          .hasMessageContaining("larger than the limit");
    }

    @Test
    void protectedHeaderMustBeAJsonObject() {
      rejects(ec().protectedHeader("[\"alg\"]")).hasMessageContaining("must be a JSON object");
      rejects(ec().protectedHeader("{\"alg\":")).hasMessageContaining("not valid JSON");
      rejects(ec().protectedHeader("")).hasMessageContaining("protected header is empty");
    }

    @Test
    void duplicateKeysInTheProtectedHeader() {
      String header =
          "{\"alg\":\"ES256\",\"crit\":[\"io.cncf.notary.signingScheme\"],"
              + "\"cty\":\"application/vnd.cncf.notary.payload.v1+json\","
              + "\"io.cncf.notary.signingScheme\":\"notary.x509\","
              + "\"io.cncf.notary.signingTime\":\"2024-01-02T03:04:05Z\","
              + "\"alg\":\"ES256\"}";
      rejects(ec().protectedHeader(header)).hasMessageContaining("Duplicate");
    }

    @Test
    void handWrittenProtectedHeaderVerifies() throws Exception {
      String header =
          "{\"alg\":\"ES256\",\"crit\":[\"io.cncf.notary.signingScheme\"],"
              + "\"cty\":\"application/vnd.cncf.notary.payload.v1+json\","
              + "\"io.cncf.notary.signingScheme\":\"notary.x509\","
              + "\"io.cncf.notary.signingTime\":\"2024-01-02T03:04:05Z\"}";
      assertThat(JwsEnvelope.verify(ec().protectedHeader(header).sign().bytes()).signingTime())
          .isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }
  }

  @Nested
  class Crit {
    @Test
    void missing() {
      rejects(ec().protectedEntry("crit", JwsTestSigner.REMOVE))
          .hasMessage("missing \"crit\" header");
    }

    @Test
    void empty() {
      rejects(ec().critValue(List.of())).hasMessage("missing \"crit\" header");
    }

    @Test
    void notAnArray() {
      rejects(ec().critValue("io.cncf.notary.signingScheme"))
          .hasMessageContaining("must be an array of strings");
      rejects(ec().critValue(List.of("io.cncf.notary.signingScheme", 3)))
          .hasMessageContaining("must be an array of strings");
    }

    @Test
    void signingSchemeMustBeCritical() {
      rejects(ec().attribute("a", "b", true).crit("a"))
          .hasMessage(
              "these required headers are not marked as critical: [io.cncf.notary.signingScheme]");
    }

    @Test
    void expiryMustBeCriticalWhenPresent() {
      rejects(ec().expiry("2099-01-01T00:00:00Z").crit("io.cncf.notary.signingScheme"))
          .hasMessage("these required headers are not marked as critical: [io.cncf.notary.expiry]");
    }

    @Test
    void authenticSigningTimeMustBeCriticalForSigningAuthority() {
      rejects(
              ec().scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .crit("io.cncf.notary.signingScheme"))
          .hasMessage(
              "these required headers are not marked as critical:"
                  + " [io.cncf.notary.authenticSigningTime]");
    }

    @Test
    void allRequiredMissingAreNamed() {
      rejects(
              ec().scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .expiry("2099-01-01T00:00:00Z")
                  .attribute("a", "b", true)
                  .crit("a"))
          .hasMessage(
              "these required headers are not marked as critical: [io.cncf.notary.signingScheme"
                  + " io.cncf.notary.expiry io.cncf.notary.authenticSigningTime]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alg", "cty", "crit", "io.cncf.notary.signingTime"})
    void definedHeadersMayNotBeListed(String key) {
      rejects(ec().crit("io.cncf.notary.signingScheme", key))
          .hasMessage("\"" + key + "\" header is marked critical but not present");
    }

    @Test
    void listedKeyMustBePresent() {
      rejects(ec().crit("io.cncf.notary.signingScheme", "io.example.absent"))
          .hasMessage("\"io.example.absent\" header is marked critical but not present");
      rejects(ec().crit("io.cncf.notary.signingScheme", "io.cncf.notary.expiry"))
          .hasMessage("\"io.cncf.notary.expiry\" header is marked critical but not present");
      rejects(ec().crit("io.cncf.notary.signingScheme", "io.cncf.notary.authenticSigningTime"))
          .hasMessageContaining("marked critical but not present");
    }

    @Test
    void duplicateRequiredEntry() {
      rejects(ec().crit("io.cncf.notary.signingScheme", "io.cncf.notary.signingScheme"))
          .hasMessageContaining("listed more than once");
    }

    @Test
    void duplicateExtendedEntry() {
      rejects(ec().attribute("a", "b", false).crit("io.cncf.notary.signingScheme", "a", "a"))
          .hasMessage("\"a\" is listed more than once in the \"crit\" header");
    }

    @Test
    void unknownCriticalAttributeIsReportedNotRejected() throws Exception {
      EnvelopeContent content =
          JwsEnvelope.verify(ec().attribute("io.example.mustUnderstand", 1, true).sign().bytes());
      assertThat(content.extendedAttributes())
          .containsExactly(new ExtendedAttribute("io.example.mustUnderstand", 1L, true));
    }
  }

  @Nested
  class Payload {
    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"text\"", "42", "null", "{", "not json", "{}{}"})
    void payloadMustBeAJsonObject(String payload) {
      rejects(ec().payload(payload)).hasMessageContaining("JWS payload");
    }

    @Test
    void duplicateKeysInThePayload() {
      rejects(ec().payload("{\"targetArtifact\":{},\"targetArtifact\":{}}"))
          .hasMessageContaining("Duplicate");
    }

    @Test
    void targetArtifactIsRequired() {
      rejects(ec().payload("{\"key\":\"hello JWS\"}"))
          .hasMessageContaining("\"targetArtifact\" descriptor object");
      rejects(ec().payload("{\"targetArtifact\":\"sha256:abc\"}"))
          .hasMessageContaining("\"targetArtifact\" descriptor object");
    }

    @Test
    void descriptorFieldsAreRequired() {
      String digest = JwsTestSigner.DEFAULT_DIGEST;
      rejects(ec().payload("{\"targetArtifact\":{\"digest\":\"" + digest + "\",\"size\":1}}"))
          .hasMessageContaining("targetArtifact.mediaType");
      rejects(ec().payload("{\"targetArtifact\":{\"mediaType\":\"a/b\",\"size\":1}}"))
          .hasMessageContaining("targetArtifact.digest");
      rejects(
              ec().payload(
                      "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"" + digest + "\"}}"))
          .hasMessageContaining("targetArtifact.size");
      rejects(ec().payloadDescriptor("a/b", digest, -1))
          .hasMessageContaining("targetArtifact.size");
      rejects(
              ec().payload(
                      "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\""
                          + digest
                          + "\",\"size\":\"1\"}}"))
          .hasMessageContaining("targetArtifact.size");
    }

    @Test
    void descriptorWithAnnotationsVerifies() throws Exception {
      String payload =
          "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\""
              + JwsTestSigner.DEFAULT_DIGEST
              + "\",\"size\":12,\"annotations\":{\"buildId\":\"101\"}}}";
      assertThat(JwsEnvelope.verify(ec().payload(payload).sign().bytes()).payload())
          .isEqualTo(utf8(payload));
    }

    @Test
    void emptyPayload() {
      rejects(ec().sign().withPayloadText("").bytes()).hasMessageContaining("payload is empty");
    }
  }

  @Nested
  class Base64Encodings {
    @Test
    void paddedPayloadIsRejected() {
      JwsTestSigner.Envelope signed = ec().sign();
      String padded = signed.payloadText() + "=";
      rejects(signed.withPayloadText(padded).bytes())
          .hasMessageStartingWith(
              "signature is invalid. Error: illegal base64 data at input byte "
                  + signed.payloadText().length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"protected", "payload", "signature"})
    void nonAlphabetCharactersAreRejected(String member) {
      JwsTestSigner.Envelope signed = ec().sign();
      Map<String, Object> members = signed.members();
      String text = (String) members.get(member);
      for (String bad : List.of("+", "/", "=", " ", "\n", "%", "é")) {
        Map<String, Object> copy = new LinkedHashMap<>(members);
        copy.put(member, text.substring(0, 4) + bad + text.substring(5));
        rejects(JwsTestSigner.Envelope.json(copy))
            .hasMessageContaining("illegal base64 data at input byte 4")
            .hasMessageContaining("\"" + member + "\"");
      }
    }

    @Test
    void nonCanonicalTrailingBitsAreRejected() {
      JwsTestSigner.Envelope signed = ec().sign();
      String sig = signed.signatureText(); // 64 bytes: 86 chars, last char carries 4 spare bits
      char last = sig.charAt(sig.length() - 1);
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      char changed = alphabet.charAt(alphabet.indexOf(last) ^ 1);
      rejects(signed.withSignatureText(sig.substring(0, sig.length() - 1) + changed).bytes())
          .hasMessageContaining("illegal base64 data");
    }

    @Test
    void impossibleLengthIsRejected() {
      JwsTestSigner.Envelope signed = ec().sign();
      rejects(signed.withSignatureText(signed.signatureText() + "AAA").bytes())
          .hasMessageContaining("illegal base64 data");
    }

    @Test
    void x5cMustBeStandardPaddedBase64() {
      JwsTestSigner.Envelope signed = ec().sign();
      rejects(
              signed
                  .withHeader(
                      h -> {
                        String leaf = ((List<?>) h.get("x5c")).get(0).toString();
                        h.put("x5c", List.of(leaf.replace("=", "")));
                        return h;
                      })
                  .bytes())
          .hasMessageStartingWith("malformed leaf certificate");
    }

    @Test
    void timestampSignatureMustBeStandardBase64() {
      byte[] envelope =
          ec().sign()
              .withHeader(
                  h -> {
                    h.put("io.cncf.notary.timestampSignature", "MAMCAQc"); // unpadded
                    return h;
                  })
              .bytes();
      rejects(envelope).hasMessageContaining("illegal base64 data");
      byte[] urlSafe =
          ec().sign()
              .withHeader(
                  h -> {
                    h.put("io.cncf.notary.timestampSignature", "-_8=");
                    return h;
                  })
              .bytes();
      rejects(urlSafe).hasMessageContaining("illegal base64 data at input byte 0");
    }
  }

  @Nested
  class UnprotectedHeader {
    static JwsTestSigner.Envelope editHeader(
        java.util.function.Consumer<Map<String, Object>> edit) {
      return ec().sign()
          .withHeader(
              h -> {
                edit.accept(h);
                return h;
              });
    }

    @Test
    void missingX5c() {
      rejects(editHeader(h -> h.remove("x5c")).bytes())
          .hasMessage("certificate chain is not present");
    }

    @Test
    void emptyX5c() {
      rejects(editHeader(h -> h.put("x5c", List.of())).bytes())
          .hasMessage("certificate chain is not present");
      rejects(editHeader(h -> h.put("x5c", null)).bytes())
          .hasMessage("certificate chain is not present");
    }

    @Test
    void x5cOfTheWrongType() {
      rejects(editHeader(h -> h.put("x5c", "MIIB")).bytes())
          .hasMessageContaining("\"x5c\" must be an array");
      rejects(editHeader(h -> h.put("x5c", List.of(1))).bytes())
          .hasMessageStartingWith("malformed leaf certificate");
    }

    @Test
    void garbageLeaf() {
      rejects(editHeader(h -> h.put("x5c", List.of("AAAA"))).bytes())
          .hasMessageStartingWith("malformed leaf certificate");
      rejects(editHeader(h -> h.put("x5c", List.of("MAMCAQc="))).bytes())
          .hasMessageStartingWith("malformed leaf certificate");
    }

    @Test
    void pemTextInsteadOfDerIsRejected() throws Exception {
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder().encodeToString(ecLeaf.certificate().getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      String encoded = Base64.getEncoder().encodeToString(utf8(pem));
      rejects(editHeader(h -> h.put("x5c", List.of(encoded))).bytes())
          .hasMessageStartingWith("malformed leaf certificate");
    }

    @Test
    void trailingDataAfterTheLeafIsRejected() throws Exception {
      byte[] der = ecLeaf.certificate().getEncoded();
      byte[] longer = java.util.Arrays.copyOf(der, der.length + 2);
      String encoded = Base64.getEncoder().encodeToString(longer);
      rejects(editHeader(h -> h.put("x5c", List.of(encoded))).bytes())
          .hasMessageStartingWith("malformed leaf certificate");
    }

    @Test
    void malformedIntermediate() {
      rejects(
              editHeader(
                      h -> {
                        List<Object> x5c = new ArrayList<>((List<?>) h.get("x5c"));
                        x5c.add("MAMCAQc=");
                        h.put("x5c", x5c);
                      })
                  .bytes())
          .hasMessageStartingWith("malformed certificate x5c[2]");
    }

    @Test
    void tooManyCertificates() throws Exception {
      List<String> x5c = new ArrayList<>();
      for (int i = 0; i <= JwsEnvelope.MAX_CERTIFICATES; i++) {
        x5c.add(Base64.getEncoder().encodeToString(ecLeaf.certificate().getEncoded()));
      }
      rejects(editHeader(h -> h.put("x5c", x5c)).bytes())
          .hasMessageContaining("more than the limit of 10");
    }

    @Test
    void tenCertificatesAreAccepted() throws Exception {
      List<String> x5c = new ArrayList<>();
      for (int i = 0; i < JwsEnvelope.MAX_CERTIFICATES; i++) {
        x5c.add(Base64.getEncoder().encodeToString(ecLeaf.certificate().getEncoded()));
      }
      EnvelopeContent content = JwsEnvelope.verify(editHeader(h -> h.put("x5c", x5c)).bytes());
      assertThat(content.certificateChain()).hasSize(10);
    }

    @Test
    void critInTheUnprotectedHeaderIsRejected() {
      rejects(editHeader(h -> h.put("crit", List.of("x"))).bytes())
          .hasMessageContaining("must be in the protected header");
    }

    @Test
    void parameterInBothHeadersIsRejected() {
      rejects(editHeader(h -> h.put("alg", "ES256")).bytes())
          .hasMessageContaining("appears in both the protected and the unprotected header");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"X5C", "io.cncf.notary.TimestampSignature", "io.cncf.notary.SIGNINGAGENT"})
    void caseVariantsOfKnownKeysAreRejected(String key) {
      rejects(editHeader(h -> h.put(key, "AAAA")).bytes()).hasMessageContaining("only in case");
    }

    @Test
    void bothSigningAgentSpellingsAreAmbiguous() {
      rejects(editHeader(h -> h.put("io.cncf.notary.SigningAgent", "other")).bytes())
          .hasMessageContaining("only one signing agent");
    }

    @Test
    void signingAgentMustBeAString() {
      rejects(editHeader(h -> h.put("io.cncf.notary.signingAgent", 1)).bytes())
          .hasMessageContaining("must be a string");
    }

    @Test
    void timestampSignatureMustBeAString() {
      rejects(editHeader(h -> h.put("io.cncf.notary.timestampSignature", List.of())).bytes())
          .hasMessageContaining("must be a base64 string");
    }

    @Test
    void tooManyEntries() {
      rejects(
              editHeader(
                      h -> {
                        for (int i = 0; i < JwsEnvelope.MAX_HEADER_ENTRIES; i++) {
                          h.put("k" + i, i);
                        }
                      })
                  .bytes())
          .hasMessageContaining("more than the limit of 64");
    }
  }

  @Nested
  class EnvelopeShape {
    @Test
    void truncatedAtEveryLengthIsRejected() {
      byte[] envelope = ec().sign().bytes();
      for (int length = 0; length < envelope.length; length += 7) {
        byte[] truncated = java.util.Arrays.copyOf(envelope, length);
        rejects(truncated);
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          " ",
          "null",
          "[]",
          "\"jws\"",
          "{",
          "}",
          "{}",
          "eyJhbGciOiJFUzI1NiJ9.e30.AA",
          "\u0000"
        })
    void garbageIsRejected(String text) {
      rejects(utf8(text));
    }

    @Test
    void nullInputIsRejected() {
      rejects((byte[]) null).hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"payload", "protected", "header", "signature"})
    void everyMemberIsRequired(String member) {
      Map<String, Object> members = ec().sign().members();
      members.remove(member);
      rejects(JwsTestSigner.Envelope.json(members)).hasMessageContaining("\"" + member + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"payload", "protected", "header", "signature"})
    void wrongMemberTypesAreRejected(String member) {
      for (Object wrong : List.of(1, true, List.of("a"), "x")) {
        if (wrong.equals("x") && !member.equals("header")) {
          continue;
        }
        Map<String, Object> members = ec().sign().members();
        members.put(member, wrong);
        rejects(JwsTestSigner.Envelope.json(members))
            .hasMessageContaining("\"" + member + "\" must be a");
      }
    }

    @Test
    void nullMemberIsAWrongType() {
      Map<String, Object> members = ec().sign().members();
      members.put("payload", null);
      rejects(JwsTestSigner.Envelope.json(members)).hasMessageContaining("found null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Payload", "PROTECTED", "extra", "signatures", "unprotected"})
    void unknownTopLevelMembersAreRejected(String member) {
      Map<String, Object> members = ec().sign().members();
      members.put(member, "x");
      rejects(JwsTestSigner.Envelope.json(members)).hasMessageContaining("\"" + member + "\"");
    }

    @Test
    void generalSerializationHasAClearMessage() {
      Map<String, Object> members = ec().sign().members();
      members.put("signatures", List.of());
      rejects(JwsTestSigner.Envelope.json(members))
          .hasMessageContaining("general JSON serialization");
    }

    @Test
    void duplicateTopLevelMemberIsRejected() {
      String text = ec().sign().text();
      String duplicated = text.substring(0, text.length() - 1) + ",\"signature\":\"AAAA\"}";
      rejects(utf8(duplicated)).hasMessageContaining("Duplicate");
    }

    @Test
    void duplicateUnprotectedHeaderKeyIsRejected() {
      String text = ec().sign().text();
      String duplicated =
          text.replace("\"header\":{", "\"header\":{\"io.cncf.notary.signingAgent\":\"a\",");
      assertThat(duplicated).isNotEqualTo(text);
      rejects(utf8(duplicated)).hasMessageContaining("Duplicate");
    }

    @Test
    void trailingContentIsRejected() {
      rejects(utf8(ec().sign().text() + "{}")).hasMessageContaining("not valid JSON");
    }

    @Test
    void oversizedEnvelopeIsRejectedBeforeParsing() {
      byte[] big = new byte[JwsEnvelope.MAX_ENVELOPE_BYTES + 1];
      java.util.Arrays.fill(big, (byte) ' ');
      rejects(big).hasMessageContaining("larger than the limit");
    }

    @Test
    void deeplyNestedJsonIsRejected() {
      String nested = "[".repeat(5000) + "]".repeat(5000);
      rejects(utf8("{\"payload\":" + nested + "}")).isInstanceOf(EnvelopeException.class);
    }

    @Test
    void whitespaceAndMemberOrderDoNotMatter() throws Exception {
      JwsTestSigner.Envelope signed = ec().sign();
      String text =
          "\n{ \"signature\" : \""
              + signed.signatureText()
              + "\",\n \"header\" : "
              + new String(JwsTestSigner.Envelope.json(signed.header()), StandardCharsets.UTF_8)
              + ", \"protected\":\""
              + signed.protectedText()
              + "\", \"payload\":\""
              + signed.payloadText()
              + "\" }\n";
      assertThat(JwsEnvelope.verify(utf8(text)).algorithm()).isEqualTo(SignatureAlgorithm.ES256);
    }
  }

  @Test
  void x509CertificatesKeepTheirOrder() throws Exception {
    TestPki.Issued intermediate = TestPki.intermediate("CN=Intermediate").issuedBy(root);
    TestPki.Issued leaf =
        TestPki.leaf("CN=Leaf").keyPair(TestPki.sharedKey(KeyType.EC_P384)).issuedBy(intermediate);
    List<X509Certificate> chain =
        List.of(leaf.certificate(), intermediate.certificate(), root.certificate());
    EnvelopeContent content =
        JwsEnvelope.verify(JwsTestSigner.of(leaf.privateKey(), chain).sign().bytes());
    assertThat(content.certificateChain()).isEqualTo(chain);
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyType.class,
      names = {"RSA_2048", "EC_P256"})
  void reversedChainBindsTheFirstCertificate(KeyType type) {
    TestPki.Issued leaf = TestPki.leaf("CN=L").keyPair(TestPki.sharedKey(type)).issuedBy(root);
    // The root (RSA 2048) comes first: for the EC leaf the key binding fails; for the RSA leaf
    // the root's key does not verify the leaf's signature.
    rejects(
        JwsTestSigner.of(leaf.privateKey(), List.of(root.certificate(), leaf.certificate()))
            .algorithm(type == KeyType.EC_P256 ? SignatureAlgorithm.ES256 : null)
            .sign()
            .bytes());
  }
}
