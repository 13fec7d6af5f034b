package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.cbor.Cbor;
import dev.signet.cbor.CborValue;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.testing.CoseTestSigner;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.TestPki.KeyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CoseEnvelopeTest {
  private static final Map<KeyType, TestPki.Issued> LEAVES = new EnumMap<>(KeyType.class);
  private static final Instant T0 = CoseTestSigner.DEFAULT_SIGNING_TIME;
  private static final Descriptor TARGET =
      new Descriptor(
          "application/vnd.oci.image.manifest.v1+json",
          Digest.sha256("target".getBytes(StandardCharsets.UTF_8)),
          6);

  static synchronized TestPki.Issued leaf(KeyType type) {
    if (type == KeyType.EC_P224) {
      return LEAVES.computeIfAbsent(type, t -> p224Leaf());
    }
    return LEAVES.computeIfAbsent(
        type,
        t ->
            TestPki.leaf("CN=Leaf " + t + ",O=Test,ST=WA,C=US")
                .keyType(t)
                .keyPair(TestPki.sharedKey(t))
                .selfSigned());
  }

  /** The JDK cannot make P-224 keys: BouncyCastle (as an instance, not installed) makes one. */
  private static TestPki.Issued p224Leaf() {
    try {
      java.security.KeyPairGenerator g =
          java.security.KeyPairGenerator.getInstance(
              "EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
      g.initialize(new java.security.spec.ECGenParameterSpec("secp224r1"));
      TestPki.Issued root =
          TestPki.root("CN=P224 Root,O=Test,ST=WA,C=US")
              .keyPair(TestPki.sharedKey(KeyType.RSA_2048))
              .selfSigned();
      return TestPki.leaf("CN=P224 Leaf,O=Test,ST=WA,C=US")
          .keyPair(g.generateKeyPair())
          .issuedBy(root);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static CoseTestSigner signer() {
    return CoseTestSigner.of(leaf(KeyType.RSA_2048)).descriptor(TARGET);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> rejects(byte[] envelope) {
    return assertThatThrownBy(() -> CoseEnvelope.verify(envelope))
        .isInstanceOf(EnvelopeException.class);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> rejects(CoseTestSigner s) {
    return rejects(s.sign());
  }

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, PS256",
    "RSA_3072, PS384",
    "RSA_4096, PS512",
    "EC_P256, ES256",
    "EC_P384, ES384",
    "EC_P521, ES512"
  })
  void allSixAlgorithmsVerify(KeyType type, SignatureAlgorithm expected) throws Exception {
    byte[] env = CoseTestSigner.of(leaf(type)).descriptor(TARGET).sign();
    EnvelopeContent c = CoseEnvelope.verify(env);
    assertThat(c.algorithm()).isEqualTo(expected);
    assertThat(c.leaf()).isEqualTo(leaf(type).certificate());
  }

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, PS384",
    "RSA_3072, PS256",
    "EC_P256, ES384",
    "EC_P384, PS384",
    "RSA_4096, ES512"
  })
  void headerAlgorithmMustMatchTheKey(KeyType type, SignatureAlgorithm header) {
    // signed correctly with the claimed algorithm where the key allows it: still rejected
    CoseTestSigner s = CoseTestSigner.of(leaf(type)).descriptor(TARGET).algorithm(header);
    if (header.isRsaPss() != type.name().startsWith("RSA")) {
      try {
        s.signWith(SignatureAlgorithm.forKey(leaf(type).certificate().getPublicKey()));
      } catch (EnvelopeException e) {
        throw new AssertionError(e);
      }
    }
    rejects(s).hasMessageContaining("algorithm mismatch").hasMessageContaining("header " + header);
  }

  @Test
  void everyFieldIsFilled() throws Exception {
    byte[] token = {0x30, 0x03, 0x02, 0x01, 0x01};
    Instant expiry = T0.plusSeconds(3600);
    TestPki.Issued root =
        TestPki.root("CN=Root,O=Test,ST=WA,C=US")
            .keyPair(TestPki.sharedKey(KeyType.EC_P384))
            .keyType(KeyType.EC_P384)
            .selfSigned();
    TestPki.Issued leaf =
        TestPki.leaf("CN=Chained,O=Test,ST=WA,C=US")
            .keyPair(TestPki.sharedKey(KeyType.EC_P256))
            .keyType(KeyType.EC_P256)
            .issuedBy(root);
    CborValue.Map listValue = CborValue.Map.of(CborValue.of("k"), CborValue.of(7));
    byte[] env =
        CoseTestSigner.of(leaf.privateKey(), List.of(leaf.certificate(), root.certificate()))
            .descriptor(TARGET)
            .expiry(expiry)
            .timestampToken(token)
            .signingAgent("agent/9")
            .attribute("custom.plain", CborValue.of("v"), false)
            .attribute("custom.critical", new CborValue.Array(CborValue.of(1), listValue), true)
            .attribute(CborValue.of(4), CborValue.of(new byte[] {9}), false)
            .sign();
    EnvelopeContent c = CoseEnvelope.verify(env);
    assertThat(c.payload()).isEqualTo(CoseTestSigner.payloadFor(TARGET));
    assertThat(c.payloadContentType()).isEqualTo("application/vnd.cncf.notary.payload.v1+json");
    assertThat(c.signingScheme()).isEqualTo(SigningScheme.X509);
    assertThat(c.signingTime()).isEqualTo(T0);
    assertThat(c.authenticSigningTime()).isNull();
    assertThat(c.effectiveSigningTime()).isEqualTo(T0);
    assertThat(c.expiry()).isEqualTo(expiry);
    assertThat(c.certificateChain()).containsExactly(leaf.certificate(), root.certificate());
    assertThat(c.algorithm()).isEqualTo(SignatureAlgorithm.ES256);
    assertThat(c.timestampToken()).isEqualTo(token);
    assertThat(c.signingAgent()).isEqualTo("agent/9");
    assertThat(c.extendedAttributes()).hasSize(3);
    assertThat(c.extendedAttributes().get(0))
        .isEqualTo(new ExtendedAttribute("custom.plain", "v", false));
    ExtendedAttribute crit = c.extendedAttributes().get(1);
    assertThat(crit.key()).isEqualTo("custom.critical");
    assertThat(crit.critical()).isTrue();
    assertThat(crit.value()).isEqualTo(List.of(1L, Map.of("k", 7L)));
    ExtendedAttribute intLabel = c.extendedAttributes().get(2);
    assertThat(intLabel.key()).isEqualTo("4");
    assertThat((byte[]) intLabel.value()).containsExactly(9);
    assertThat(intLabel.critical()).isFalse();
    // the raw signature is the signature bstr, what a timestamp countersigns
    CborValue.Array msg =
        (CborValue.Array)
            ((CborValue.Tag) Cbor.decode(env, dev.signet.cbor.CborLimits.DEFAULT)).content();
    assertThat(c.signature()).isEqualTo(((CborValue.Bytes) msg.get(3)).value());
    assertThat(c.signature()).hasSize(64);
  }

  @Test
  void signingAuthorityScheme() throws Exception {
    EnvelopeContent c =
        CoseEnvelope.verify(signer().scheme(SigningScheme.X509_SIGNING_AUTHORITY).sign());
    assertThat(c.signingScheme()).isEqualTo(SigningScheme.X509_SIGNING_AUTHORITY);
    assertThat(c.authenticSigningTime()).isEqualTo(T0);
    assertThat(c.signingTime()).isNull();
    assertThat(c.effectiveSigningTime()).isEqualTo(T0);
    assertThat(c.timestampToken()).isNull();
  }

  @Test
  void optionalUnprotectedHeadersMayBeAbsent() throws Exception {
    EnvelopeContent c = CoseEnvelope.verify(signer().signingAgent(null).sign());
    assertThat(c.signingAgent()).isNull();
    assertThat(c.timestampToken()).isNull();
    assertThat(c.expiry()).isNull();
    assertThat(c.extendedAttributes()).isEmpty();
  }

  @Nested
  class SignatureCheck {
    @Test
    void tamperedSignatureFails() {
      rejects(
              signer()
                  .tamperSignature(
                      s -> {
                        s[s.length / 2] ^= 1;
                        return s;
                      }))
          .hasMessage("signature is invalid. Error: verification error");
    }

    @Test
    void tamperedPayloadFails() {
      byte[] other =
          CoseTestSigner.payloadFor(
              new Descriptor(TARGET.mediaType(), Digest.sha256(new byte[] {1}), 6));
      rejects(signer().payloadValue(CborValue.of(other)))
          .hasMessage("signature is invalid. Error: verification error");
    }

    @Test
    void tamperedProtectedHeaderFails() throws Exception {
      CoseTestSigner s = signer();
      byte[] good = s.sign();
      CborValue.Array msg =
          (CborValue.Array)
              ((CborValue.Tag) Cbor.decode(good, dev.signet.cbor.CborLimits.DEFAULT)).content();
      // a different signing time in an otherwise identical header
      byte[] other = Cbor.encode(signer().signingTime(T0.plusSeconds(1)).protectedHeader());
      byte[] forged =
          Cbor.encode(
              new CborValue.Tag(
                  18,
                  new CborValue.Array(CborValue.of(other), msg.get(1), msg.get(2), msg.get(3))));
      rejects(forged).hasMessage("signature is invalid. Error: verification error");
    }

    @Test
    void ecdsaSignatureOfWrongLengthFails() {
      rejects(
              CoseTestSigner.of(leaf(KeyType.EC_P256))
                  .descriptor(TARGET)
                  .tamperSignature(s -> Arrays.copyOf(s, 63)))
          .hasMessage("signature is invalid. Error: verification error");
    }

    @Test
    void pssWithOtherSaltLengthFails() throws Exception {
      // PSS with salt 0 over the right Sig_structure: COSE requires salt = hash length
      CoseTestSigner s = signer();
      byte[] good = s.sign();
      CborValue.Array msg =
          (CborValue.Array)
              ((CborValue.Tag) Cbor.decode(good, dev.signet.cbor.CborLimits.DEFAULT)).content();
      byte[] tbs =
          CoseEnvelope.sigStructure(
              ((CborValue.Bytes) msg.get(0)).value(), ((CborValue.Bytes) msg.get(2)).value());
      java.security.Signature pss = java.security.Signature.getInstance("RSASSA-PSS");
      pss.setParameter(
          new java.security.spec.PSSParameterSpec(
              "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 0, 1));
      pss.initSign(leaf(KeyType.RSA_2048).privateKey());
      pss.update(tbs);
      byte[] forged =
          Cbor.encode(
              new CborValue.Tag(
                  18,
                  new CborValue.Array(
                      msg.get(0), msg.get(1), msg.get(2), CborValue.of(pss.sign()))));
      rejects(forged).hasMessage("signature is invalid. Error: verification error");
    }

    @ParameterizedTest
    @EnumSource(names = {"RSA_1024", "EC_P224"})
    void unsupportedKeyIsReportedBeforeTheSignature(KeyType type) {
      String expected =
          type == KeyType.RSA_1024
              ? "rsa key size 1024 bits is not supported"
              : "ecdsa key size 224 bits is not supported";
      if (type == KeyType.RSA_1024) {
        rejects(CoseTestSigner.of(leaf(type)).descriptor(TARGET)).hasMessage(expected);
      }
      // a garbage signature changes nothing: the key is checked first
      rejects(CoseTestSigner.of(leaf(type)).descriptor(TARGET).signature(new byte[] {1}))
          .hasMessage(expected);
    }

    @Test
    void ecKeyOnAnotherCurveOfTheSameSizeIsRejected() throws Exception {
      // secp256k1 is 256 bits like P-256 but is not a Notary curve
      java.security.KeyPairGenerator g =
          java.security.KeyPairGenerator.getInstance(
              "EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256k1"));
      TestPki.Issued k1 =
          TestPki.leaf("CN=K1 Leaf,O=Test,ST=WA,C=US")
              .keyPair(g.generateKeyPair())
              .issuedBy(leaf(KeyType.RSA_2048));
      rejects(CoseTestSigner.of(k1).descriptor(TARGET).signature(new byte[64]))
          .hasMessageContaining("elliptic curve that is not supported");
    }

    @Test
    void sigStructureUsesTheProtectedBytesAsReceived() throws Exception {
      // A protected header with a non-shortest int (alg -37 as 0x3824 -> 0x390024): decodes the
      // same, and the signature covers exactly these bytes.
      byte[] canonical = Cbor.encode(signer().protectedHeader());
      String hex = HexFormat.of().formatHex(canonical);
      assertThat(hex.substring(2, 8)).isEqualTo("013824");
      byte[] odd = HexFormat.of().parseHex(hex.substring(0, 2) + "01390024" + hex.substring(8));
      EnvelopeContent c = CoseEnvelope.verify(signer().protectedBytes(odd).sign());
      assertThat(c.algorithm()).isEqualTo(SignatureAlgorithm.PS256);
    }

    @Test
    void sigStructureEncoding() {
      assertThat(
              HexFormat.of().formatHex(CoseEnvelope.sigStructure(new byte[] {1}, new byte[] {2})))
          .isEqualTo("846a5369676e61747572653141014041" + "02");
    }
  }

  @Nested
  class Shape {
    @Test
    void mustStartWithTag18AndArrayOf4() throws Exception {
      byte[] good = signer().sign();
      byte[] untagged = Arrays.copyOfRange(good, 1, good.length);
      rejects(untagged).hasMessageContaining("cbor: invalid COSE_Sign1_Tagged object");
      byte[] three = good.clone();
      three[1] = (byte) 0x83;
      rejects(three).hasMessageContaining("cbor: invalid COSE_Sign1_Tagged object");
      rejects(new byte[] {(byte) 0xd2}).hasMessageContaining("invalid COSE_Sign1_Tagged");
      rejects(new byte[0]).hasMessageContaining("empty");
      rejects(HexFormat.of().parseHex("d28440a0f6")).isNotNull();
    }

    @Test
    void trailingBytesAreRejected() {
      byte[] good = signer().sign();
      rejects(Arrays.copyOf(good, good.length + 1)).hasMessageContaining("trailing");
    }

    @Test
    void everyTruncationIsRejected() {
      byte[] good = CoseTestSigner.of(leaf(KeyType.EC_P256)).descriptor(TARGET).sign();
      for (int n = 0; n < good.length; n++) {
        byte[] cut = Arrays.copyOf(good, n);
        assertThatThrownBy(() -> CoseEnvelope.verify(cut)).isInstanceOf(EnvelopeException.class);
      }
    }

    @Test
    void garbageIsRejected() {
      java.util.Random random = new java.util.Random(42);
      for (int i = 0; i < 500; i++) {
        byte[] junk = new byte[random.nextInt(200)];
        random.nextBytes(junk);
        if (i % 2 == 0 && junk.length > 2) {
          junk[0] = (byte) 0xd2;
          junk[1] = (byte) 0x84;
        }
        assertThatThrownBy(() -> CoseEnvelope.verify(junk)).isInstanceOf(EnvelopeException.class);
      }
    }

    @Test
    void protectedHeaderMustBeAByteStringHoldingAMap() {
      rejects(message(CborValue.of("x"), unprotected(), payload(), CborValue.of(new byte[] {1})))
          .hasMessageContaining("protected header must be a byte string");
      rejects(
              message(
                  CborValue.of(new byte[] {(byte) 0x80}),
                  unprotected(),
                  payload(),
                  CborValue.of(new byte[] {1})))
          .hasMessageContaining("must be a map");
      rejects(
              message(
                  CborValue.of(new byte[0]),
                  unprotected(),
                  payload(),
                  CborValue.of(new byte[] {1})))
          .hasMessage("algorithm not found");
      rejects(
              message(
                  CborValue.of(new byte[] {(byte) 0xa1, 1}),
                  unprotected(),
                  payload(),
                  CborValue.of(new byte[] {1})))
          .hasMessageContaining("malformed COSE protected header");
    }

    @Test
    void unprotectedHeaderMustBeAMap() {
      rejects(
              message(
                  protectedBstr(), new CborValue.Array(), payload(), CborValue.of(new byte[] {1})))
          .hasMessageContaining("unprotected header must be a map");
    }

    @Test
    void detachedPayloadIsRejected() {
      rejects(signer().payloadValue(CborValue.NULL)).hasMessageContaining("detached payload");
      rejects(signer().payloadValue(CborValue.of("text")))
          .hasMessageContaining("payload must be a byte string");
    }

    @Test
    void emptySignatureIsRejected() {
      rejects(signer().tamperSignature(s -> new byte[0]))
          .hasMessage("signature missing in COSE envelope");
      rejects(message(protectedBstr(), unprotected(), payload(), CborValue.of("sig")))
          .hasMessageContaining("signature must be a byte string");
    }

    @Test
    void emptyPayloadIsRejectedAfterTheSignature() {
      rejects(signer().payload(new byte[0])).hasMessage("envelope payload can't be empty");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "hello",
          "[]",
          "{}",
          "{\"targetArtifact\":[]}",
          "{\"targetArtifact\":{\"digest\":\"sha256:ab\",\"size\":1}}",
          "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"size\":1}}",
          "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"nodigest\",\"size\":1}}",
          "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:ab\",\"size\":-1}}",
          "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:ab\",\"size\":\"1\"}}",
          "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:ab\",\"size\":1},"
              + "\"targetArtifact\":{}}"
        })
    void payloadMustBeANotaryPayload(String json) {
      rejects(signer().payload(json.getBytes(StandardCharsets.UTF_8)))
          .hasMessageContaining("signature payload");
    }

    @Test
    void blobPayloadWithSha384DigestIsAccepted() throws Exception {
      String json =
          "{\"targetArtifact\":{\"mediaType\":\"application/octet-stream\",\"digest\":"
              + "\"sha384:"
              + "ab".repeat(48)
              + "\",\"size\":12,\"annotations\":{\"a\":\"b\"}}}";
      EnvelopeContent c =
          CoseEnvelope.verify(signer().payload(json.getBytes(StandardCharsets.UTF_8)).sign());
      assertThat(new String(c.payload(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void oversizedEnvelopeIsRejectedBeforeDecoding() {
      byte[] huge = new byte[CoseEnvelope.MAX_ENVELOPE_BYTES + 1];
      huge[0] = (byte) 0xd2;
      huge[1] = (byte) 0x84;
      rejects(huge).hasMessageContaining("larger than the limit of 32 MiB");
    }

    @Test
    void oversizedProtectedHeaderIsRejected() {
      byte[] big = new byte[CoseEnvelope.MAX_PROTECTED_HEADER_BYTES + 1];
      rejects(message(CborValue.of(big), unprotected(), payload(), CborValue.of(new byte[] {1})))
          .hasMessageContaining("protected header is");
    }

    @Test
    void hugeDeclaredLengthsAreRejected() {
      rejects(HexFormat.of().parseHex("d2845b7fffffffffffffff"))
          .hasMessageContaining("longer than the remaining input");
      rejects(HexFormat.of().parseHex("d28440bb7fffffffffffffff"))
          .hasMessageContaining("longer than the remaining input");
      rejects(HexFormat.of().parseHex("d28440a1182198ffffffff"))
          .hasMessageContaining("longer than the remaining input");
    }

    @Test
    void indefiniteLengthsAreRejected() throws Exception {
      byte[] good = signer().sign();
      CborValue.Array msg = content(good);
      // unprotected map re-encoded as an indefinite-length map
      byte[] unprotected = Cbor.encode(msg.get(1));
      unprotected[0] = (byte) 0xbf;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(new byte[] {(byte) 0xd2, (byte) 0x84});
      out.writeBytes(Cbor.encode(msg.get(0)));
      out.writeBytes(unprotected);
      out.write(0xff);
      out.writeBytes(Cbor.encode(msg.get(2)));
      out.writeBytes(Cbor.encode(msg.get(3)));
      rejects(out.toByteArray()).hasMessageContaining("indefinite-length");
      // payload as an indefinite-length byte string of one chunk
      byte[] payload = ((CborValue.Bytes) msg.get(2)).value();
      out.reset();
      out.writeBytes(new byte[] {(byte) 0xd2, (byte) 0x84});
      out.writeBytes(Cbor.encode(msg.get(0)));
      out.writeBytes(Cbor.encode(msg.get(1)));
      out.write(0x5f);
      out.writeBytes(Cbor.encode(CborValue.of(payload)));
      out.write(0xff);
      out.writeBytes(Cbor.encode(msg.get(3)));
      rejects(out.toByteArray()).hasMessageContaining("indefinite-length");
      // inside the protected header, signed: still rejected
      byte[] prot = Cbor.encode(signer().protectedHeader());
      byte[] indefinite = new byte[prot.length + 1];
      System.arraycopy(prot, 0, indefinite, 0, prot.length);
      indefinite[0] = (byte) 0xbf;
      indefinite[prot.length] = (byte) 0xff;
      rejects(signer().protectedBytes(indefinite)).hasMessageContaining("indefinite-length");
    }

    @Test
    void duplicateKeysAreRejected() throws Exception {
      // protected header with alg twice (signed)
      byte[] prot = Cbor.encode(signer().protectedHeader());
      String hex = HexFormat.of().formatHex(prot);
      String count = HexFormat.of().toHexDigits((byte) (prot[0] + 1));
      byte[] dup = HexFormat.of().parseHex(count + "013824" + hex.substring(2));
      rejects(signer().protectedBytes(dup)).hasMessageContaining("duplicate map key 1");
      // text label twice
      byte[] dupText =
          HexFormat.of()
              .parseHex(
                  count
                      + hex.substring(2)
                      + HexFormat.of()
                          .formatHex(Cbor.encode(CborValue.of("io.cncf.notary.signingScheme")))
                      + HexFormat.of().formatHex(Cbor.encode(CborValue.of("notary.x509"))));
      rejects(signer().protectedBytes(dupText)).hasMessageContaining("duplicate map key");
      // unprotected header with signingAgent twice
      CborValue.Array msg = content(signer().sign());
      byte[] unprotected = Cbor.encode(msg.get(1));
      byte[] agent =
          Cbor.encode(
              CborValue.Map.of(CborValue.of("io.cncf.notary.signingAgent"), CborValue.of("x")));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(new byte[] {(byte) 0xd2, (byte) 0x84});
      out.writeBytes(Cbor.encode(msg.get(0)));
      out.write(0xa3);
      out.writeBytes(Arrays.copyOfRange(unprotected, 1, unprotected.length));
      out.writeBytes(Arrays.copyOfRange(agent, 1, agent.length));
      out.writeBytes(Cbor.encode(msg.get(2)));
      out.writeBytes(Cbor.encode(msg.get(3)));
      rejects(out.toByteArray()).hasMessageContaining("duplicate map key");
    }

    @Test
    void nestingIsBounded() {
      CborValue deep = CborValue.of(1);
      for (int i = 0; i < 20; i++) {
        deep = new CborValue.Array(deep);
      }
      rejects(signer().attribute("deep", deep, false)).hasMessageContaining("nesting deeper");
    }
  }

  @Nested
  class ProtectedHeader {
    @Test
    void algorithm() {
      rejects(signer().removeProtected(CborValue.of(1))).hasMessage("algorithm not found");
      rejects(signer().setProtected(CborValue.of(1), CborValue.of(-8)))
          .hasMessage("signature algorithm not supported: -8");
      rejects(signer().setProtected(CborValue.of(1), CborValue.of(-257)))
          .hasMessage("signature algorithm not supported: -257");
      rejects(signer().setProtected(CborValue.of(1), CborValue.of("PS256")))
          .hasMessage("signature algorithm not supported: PS256");
    }

    @Test
    void critShapes() {
      rejects(signer().crit(List.of())).hasMessage("empty crit header");
      rejects(signer().setProtected(CborValue.of(2), CborValue.of("io.cncf.notary.signingScheme")))
          .hasMessage("invalid crit header");
      rejects(
              signer()
                  .setProtected(
                      CborValue.of(2), CborValue.Map.of(CborValue.of(1), CborValue.of(1))))
          .hasMessage("invalid crit header");
      rejects(
              signer()
                  .crit(
                      List.of(
                          CborValue.of("io.cncf.notary.signingScheme"),
                          CborValue.of(new byte[] {1}))))
          .hasMessageStartingWith("invalid crit header");
      rejects(
              signer()
                  .crit(
                      List.of(
                          CborValue.of("io.cncf.notary.signingScheme"), new CborValue.Bool(true))))
          .hasMessageStartingWith("invalid crit header");
      rejects(
              signer()
                  .crit(
                      List.of(
                          CborValue.of("io.cncf.notary.signingScheme"), CborValue.of("absent"))))
          .hasMessage("missing critical header: absent");
      rejects(
              signer()
                  .crit(List.of(CborValue.of("io.cncf.notary.signingScheme"), CborValue.of(99))))
          .hasMessage("missing critical header: 99");
      rejects(
              signer()
                  .crit(
                      List.of(
                          CborValue.of("io.cncf.notary.signingScheme"),
                          CborValue.of("io.cncf.notary.signingScheme"))))
          .hasMessageContaining("listed twice");
    }

    @Test
    void critMayListPresentCoseLabels() throws Exception {
      EnvelopeContent c =
          CoseEnvelope.verify(
              signer()
                  .crit(
                      List.of(
                          CborValue.of("io.cncf.notary.signingScheme"),
                          CborValue.of(1),
                          CborValue.of(3),
                          CborValue.of("io.cncf.notary.signingTime")))
                  .sign());
      assertThat(c.extendedAttributes()).isEmpty();
    }

    @Test
    void requiredHeadersMustBeCritical() {
      rejects(signer().omitCrit())
          .hasMessage(
              "these required headers are not marked as critical: [io.cncf.notary.signingScheme]");
      rejects(
              signer()
                  .expiry(T0.plusSeconds(10))
                  .crit(List.of(CborValue.of("io.cncf.notary.signingScheme"))))
          .hasMessage("these required headers are not marked as critical: [io.cncf.notary.expiry]");
      rejects(
              signer()
                  .scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .crit(List.of(CborValue.of("io.cncf.notary.signingScheme"))))
          .hasMessage(
              "these required headers are not marked as critical:"
                  + " [io.cncf.notary.authenticSigningTime]");
      rejects(
              signer()
                  .expiry(T0.plusSeconds(10))
                  .scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .crit(List.of(CborValue.of("io.cncf.notary.expiry"))))
          .hasMessage(
              "these required headers are not marked as critical:"
                  + " [io.cncf.notary.signingScheme io.cncf.notary.authenticSigningTime]");
    }

    @Test
    void contentType() {
      rejects(signer().removeProtected(CborValue.of(3))).hasMessage("missing content type");
      rejects(signer().setProtected(CborValue.of(3), CborValue.of(50)))
          .hasMessage("content type should be of 'tstr' type");
      rejects(signer().setProtected(CborValue.of(3), CborValue.of("application/json")))
          .hasMessageContaining("payload content type \"application/json\" not supported")
          .hasMessageContaining("Notary requires \"application/vnd.cncf.notary.payload.v1+json\"");
    }

    @Test
    void signingScheme() {
      rejects(
              signer()
                  .removeProtected("io.cncf.notary.signingScheme")
                  .crit(List.of(CborValue.of(1))))
          .hasMessage("invalid signingScheme");
      rejects(signer().setProtected("io.cncf.notary.signingScheme", CborValue.of(1)))
          .hasMessage("invalid signingScheme");
      rejects(signer().setProtected("io.cncf.notary.signingScheme", CborValue.of("notary.other")))
          .hasMessage("unsupported signingScheme: notary.other");
    }

    @Test
    void signingTimeMustBeTag1() {
      String label = "io.cncf.notary.signingTime";
      rejects(signer().setProtected(label, CborValue.of(T0.getEpochSecond())))
          .hasMessage("invalid signingTime: time value does not have a tag");
      rejects(signer().setProtected(label, new CborValue.Tag(0, CborValue.of(T0.toString()))))
          .hasMessageStartingWith(
              "invalid signingTime: only Tag `1` Datetime CBOR object is supported");
      rejects(signer().setProtected(label, new CborValue.Tag(1001, CborValue.of(1))))
          .hasMessageContaining("only Tag `1`");
      rejects(signer().setProtected(label, new CborValue.Tag(1, CborValue.of("2025"))))
          .hasMessageContaining("invalid signingTime: tag 1 must hold");
      rejects(signer().setProtected(label, new CborValue.Tag(1, new CborValue.Float(Double.NaN))))
          .hasMessageContaining("invalid signingTime: tag 1 must hold");
      rejects(signer().setProtected(label, new CborValue.Tag(1, CborValue.of(Long.MAX_VALUE))))
          .hasMessageContaining("out of range");
      rejects(signer().setProtected(label, new CborValue.Tag(1, new CborValue.Float(1e300))))
          .hasMessageContaining("out of range");
      rejects(
              signer()
                  .setProtected(label, new CborValue.Tag(1, new CborValue.Tag(1, CborValue.of(1)))))
          .hasMessageContaining("tag 1 must hold");
      rejects(signer().removeProtected(label))
          .hasMessage(
              "invalid signingTime: protected header \"io.cncf.notary.signingTime\" is missing");
    }

    @Test
    void floatingPointTimesAreAccepted() throws Exception {
      EnvelopeContent c =
          CoseEnvelope.verify(
              signer()
                  .setProtected(
                      "io.cncf.notary.signingTime",
                      new CborValue.Tag(1, new CborValue.Float(1363896240.5)))
                  .sign());
      assertThat(c.signingTime()).isEqualTo(Instant.parse("2013-03-21T20:04:00.500Z"));
      EnvelopeContent negative =
          CoseEnvelope.verify(
              signer()
                  .setProtected(
                      "io.cncf.notary.signingTime",
                      new CborValue.Tag(1, new CborValue.Float(-1.25)))
                  .sign());
      assertThat(negative.signingTime()).isEqualTo(Instant.parse("1969-12-31T23:59:58.750Z"));
    }

    @Test
    void authenticSigningTime() {
      String label = "io.cncf.notary.authenticSigningTime";
      rejects(
              signer()
                  .scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .setProtected(label, CborValue.of(5)))
          .hasMessage("invalid authenticSigningTime: time value does not have a tag");
      rejects(signer().scheme(SigningScheme.X509_SIGNING_AUTHORITY).removeProtected(label))
          .hasMessage("missing critical header: " + label);
      rejects(
              signer()
                  .scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .setProtected(label, new CborValue.Tag(0, CborValue.of("2025-01-01T00:00:00Z"))))
          .hasMessageStartingWith("invalid authenticSigningTime: only Tag `1`");
    }

    @Test
    void otherSchemesTimeIsRejected() {
      rejects(
              signer()
                  .setProtected("io.cncf.notary.authenticSigningTime", CoseTestSigner.epoch(T0)))
          .hasMessage(
              "\"io.cncf.notary.authenticSigningTime\" header"
                  + " must not be present for notary.x509 signing scheme");
      rejects(
              signer()
                  .scheme(SigningScheme.X509_SIGNING_AUTHORITY)
                  .setProtected("io.cncf.notary.signingTime", CoseTestSigner.epoch(T0)))
          .hasMessage(
              "\"io.cncf.notary.signingTime\" header must not be present for"
                  + " notary.x509.signingAuthority signing scheme");
    }

    @Test
    void expiry() throws Exception {
      rejects(
              signer()
                  .expiry(T0.plusSeconds(5))
                  .setProtected("io.cncf.notary.expiry", CborValue.of(T0.getEpochSecond() + 5)))
          .hasMessage("invalid expiry: time value does not have a tag");
      rejects(
              signer()
                  .expiry(T0.plusSeconds(5))
                  .setProtected(
                      "io.cncf.notary.expiry",
                      new CborValue.Tag(0, CborValue.of("2099-01-01T00:00:00Z"))))
          .hasMessageStartingWith("invalid expiry: only Tag `1`");
      rejects(signer().expiry(T0)).hasMessage("expiry cannot be equal or before the signing time");
      rejects(signer().expiry(T0.minusSeconds(1)))
          .hasMessage("expiry cannot be equal or before the signing time");
      rejects(signer().scheme(SigningScheme.X509_SIGNING_AUTHORITY).expiry(T0))
          .hasMessage("expiry cannot be equal or before the signing time");
      assertThat(CoseEnvelope.verify(signer().expiry(T0.plusSeconds(1)).sign()).expiry())
          .isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void labelsMustBeIntOrText() {
      rejects(signer().setProtected(CborValue.of(new byte[] {1}), CborValue.of(1)))
          .hasMessageContaining("must be an int or a text string");
      rejects(signer().setProtected(new CborValue.Bool(true), CborValue.of(1)))
          .hasMessageContaining("must be an int or a text string");
    }

    @Test
    void ambiguousIntAndTextLabelsAreRejected() {
      rejects(
              signer()
                  .attribute(CborValue.of(4), CborValue.of(1), false)
                  .attribute("4", CborValue.of(2), false))
          .hasMessageContaining("ambiguous");
    }

    @Test
    void tagsAreAllowedInProtectedValues() throws Exception {
      EnvelopeContent c =
          CoseEnvelope.verify(
              signer()
                  .attribute(
                      "tagged", new CborValue.Tag(32, CborValue.of("https://example.com")), false)
                  .sign());
      assertThat(c.extendedAttributes().get(0).value())
          .isEqualTo(new CborValue.Tag(32, CborValue.of("https://example.com")));
    }

    @Test
    void unknownCriticalAttributesAndVerificationPluginAreReportedAsCritical() throws Exception {
      EnvelopeContent c =
          CoseEnvelope.verify(
              signer()
                  .attribute(
                      "io.cncf.notary.verificationPlugin", CborValue.of("com.example.plugin"), true)
                  .attribute(
                      "io.cncf.notary.verificationPluginMinVersion", CborValue.of("1.0.0"), true)
                  .attribute("unknown.critical", new CborValue.Bool(false), true)
                  .attribute("unknown.null", CborValue.NULL, false)
                  .sign());
      assertThat(c.extendedAttributes())
          .containsExactly(
              new ExtendedAttribute(
                  "io.cncf.notary.verificationPlugin", "com.example.plugin", true),
              new ExtendedAttribute("io.cncf.notary.verificationPluginMinVersion", "1.0.0", true),
              new ExtendedAttribute("unknown.critical", false, true),
              new ExtendedAttribute("unknown.null", null, false));
    }
  }

  @Nested
  class UnprotectedHeader {
    private final CborValue x5chain = CborValue.of(33);

    @Test
    void bareByteStringX5chainIsRejected() throws Exception {
      rejects(
              signer()
                  .setUnprotected(
                      x5chain, CborValue.of(leaf(KeyType.RSA_2048).certificate().getEncoded())))
          .hasMessageContaining("x5chain (label 33) must be an array");
    }

    @Test
    void missingOrEmptyChain() {
      rejects(signer().removeUnprotected(x5chain)).hasMessage("certificate chain is not present");
      rejects(signer().chain(List.of())).hasMessage("certificate chain is not present");
    }

    @Test
    void malformedCertificates() throws Exception {
      rejects(signer().setUnprotected(x5chain, new CborValue.Array(CborValue.of(1))))
          .hasMessage("COSE envelope malformed leaf certificate");
      rejects(
              signer()
                  .setUnprotected(
                      x5chain, new CborValue.Array(CborValue.of(new byte[] {0x30, 0x00}))))
          .hasMessage("malformed leaf certificate");
      byte[] der = leaf(KeyType.RSA_2048).certificate().getEncoded();
      rejects(
              signer()
                  .setUnprotected(
                      x5chain,
                      new CborValue.Array(CborValue.of(Arrays.copyOf(der, der.length + 1)))))
          .hasMessage("malformed leaf certificate");
      byte[] pem =
          ("-----BEGIN CERTIFICATE-----\n"
                  + java.util.Base64.getMimeEncoder().encodeToString(der)
                  + "\n-----END CERTIFICATE-----\n")
              .getBytes(StandardCharsets.US_ASCII);
      rejects(signer().setUnprotected(x5chain, new CborValue.Array(CborValue.of(pem))))
          .hasMessage("malformed leaf certificate");
      rejects(
              signer()
                  .setUnprotected(
                      x5chain, new CborValue.Array(CborValue.of(der), CborValue.of("x"))))
          .hasMessageContaining("position 1");
      rejects(
              signer()
                  .setUnprotected(
                      x5chain,
                      new CborValue.Array(CborValue.of(der), CborValue.of(new byte[] {1, 2}))))
          .hasMessageContaining("position 1");
    }

    @Test
    void certificateCountIsLimited() throws Exception {
      X509Certificate c = leaf(KeyType.RSA_2048).certificate();
      List<X509Certificate> ten = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ten.add(c);
      }
      assertThat(CoseEnvelope.verify(signer().chain(ten).sign()).certificateChain()).hasSize(10);
      ten.add(c);
      rejects(signer().chain(ten)).hasMessageContaining("more than the limit of 10");
    }

    @Test
    void timestampAndAgentTypes() {
      rejects(
              signer()
                  .setUnprotected(
                      CborValue.of("io.cncf.notary.timestampSignature"), CborValue.of("token")))
          .hasMessageContaining("io.cncf.notary.timestampSignature");
      rejects(signer().timestampToken(new byte[0]))
          .hasMessageContaining("io.cncf.notary.timestampSignature");
      rejects(signer().setUnprotected(CborValue.of("io.cncf.notary.signingAgent"), CborValue.of(1)))
          .hasMessageContaining("io.cncf.notary.signingAgent");
    }

    @Test
    void critIsNotAllowedUnprotected() {
      rejects(
              signer()
                  .setUnprotected(
                      CborValue.of(2),
                      new CborValue.Array(CborValue.of("io.cncf.notary.signingAgent"))))
          .hasMessageContaining("crit (label 2) is only allowed in the protected header");
    }

    @Test
    void labelInBothBucketsIsRejected() {
      rejects(signer().setUnprotected(CborValue.of(1), CborValue.of(-37)))
          .hasMessageContaining("present in both");
    }

    @Test
    void tagsAreForbiddenOutsideTheProtectedHeader() {
      rejects(
              signer()
                  .setUnprotected(
                      CborValue.of("io.cncf.notary.signingAgent"),
                      new CborValue.Tag(0, CborValue.of("x"))))
          .hasMessageContaining("tags are not allowed");
      rejects(
              signer()
                  .setUnprotected(
                      CborValue.of("other"),
                      new CborValue.Array(new CborValue.Tag(1, CborValue.of(1)))))
          .hasMessageContaining("tags are not allowed");
      rejects(
              signer()
                  .payloadValue(
                      new CborValue.Tag(24, CborValue.of(CoseTestSigner.payloadFor(TARGET)))))
          .hasMessageContaining("tags are not allowed");
    }

    @Test
    void unknownUnprotectedLabelsAreIgnored() throws Exception {
      assertThat(
              CoseEnvelope.verify(
                      signer()
                          .setUnprotected(CborValue.of(4), CborValue.of(new byte[] {1}))
                          .setUnprotected(CborValue.of("x"), CborValue.of("y"))
                          .sign())
                  .signingAgent())
          .isEqualTo("signet-test/1.0");
    }
  }

  // -- helpers for hand-built messages

  static CborValue.Array content(byte[] envelope) throws Exception {
    return (CborValue.Array)
        ((CborValue.Tag) Cbor.decode(envelope, dev.signet.cbor.CborLimits.DEFAULT)).content();
  }

  static byte[] message(CborValue p, CborValue u, CborValue payload, CborValue sig) {
    return Cbor.encode(new CborValue.Tag(18, new CborValue.Array(p, u, payload, sig)));
  }

  static CborValue protectedBstr() {
    return CborValue.of(Cbor.encode(signer().protectedHeader()));
  }

  static CborValue unprotected() {
    return CborValue.Map.of();
  }

  static CborValue payload() {
    return CborValue.of(CoseTestSigner.payloadFor(TARGET));
  }
}
