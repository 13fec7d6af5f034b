package dev.signet.notation.timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.notation.truststore.TrustStoreException;
import dev.signet.notation.x509.CertificateChainException;
import dev.signet.testkit.TestPki;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DLSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.Accuracy;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every rule of §8.6(b)-(g) and §9, both ways, against tokens from an in-test TSA. */
class Rfc3161TimestampVerifierTest {
  private static final String VERIFY =
      "failed to verify the timestamp countersignature with error: failed to verify signed token: ";
  private static final String INFO = "failed to get the timestamp TSTInfo with error: ";
  private static final String PARSE = "failed to parse timestamp countersignature with error: ";
  private static final byte[] SIGNATURE = "signature".getBytes();
  private static final Instant GEN_TIME = Instant.parse("2024-01-02T03:04:05.25Z");

  private static TestTsa tsa;
  private final Rfc3161TimestampVerifier verifier = new Rfc3161TimestampVerifier(chain -> {});

  @BeforeAll
  static void pki() {
    tsa = new TestTsa();
  }

  private VerifiedTimestamp verify(byte[] token) throws TimestampException {
    return verifier.verify(token, SIGNATURE, () -> List.of(tsa.root.certificate()));
  }

  private void assertFails(byte[] token, String message) {
    assertThatThrownBy(() -> verify(token))
        .isInstanceOf(TimestampException.class)
        .hasMessage(message);
  }

  // --- happy paths ----------------------------------------------------------------------------

  @Test
  void validTokenGivesGenTimeAccuracyAndChainLeafFirstRootLast() throws Exception {
    VerifiedTimestamp ts = verify(tsa.token().encode());
    assertThat(ts.genTime()).isEqualTo(GEN_TIME);
    assertThat(ts.accuracy()).isEqualTo(Duration.ofSeconds(1));
    assertThat(ts.tsaChain())
        .containsExactly(
            tsa.leaf.certificate(), tsa.intermediate.certificate(), tsa.root.certificate());
  }

  @Test
  void tokenFromBouncyCastleTimeStampResponseGeneratorVerifies() throws Exception {
    Date genTime = Date.from(Instant.parse("2024-05-06T07:08:09.123Z"));
    byte[] token = generatorToken(NISTObjectIdentifiers.id_sha256, genTime, SIGNATURE);
    VerifiedTimestamp ts = verify(token);
    assertThat(ts.genTime()).isEqualTo(genTime.toInstant());
    assertThat(ts.accuracy()).isEqualTo(Duration.ofMillis(1500));
    assertThat(ts.tsaChain().getFirst()).isEqualTo(tsa.leaf.certificate());
  }

  @Test
  void berEncodedTokenIsTolerated() throws Exception {
    byte[] token = tsa.token().encode();
    // The BouncyCastle CMS generator writes indefinite lengths (BER).
    assertThat(token[1] & 0xff).isEqualTo(0x80);
    assertThat(verify(token).genTime()).isEqualTo(GEN_TIME);
  }

  @Test
  void sha384AndSha512ImprintsAreAccepted() throws Exception {
    for (ASN1ObjectIdentifier hash :
        List.of(NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512)) {
      assertThat(
              verify(
                  tsa.token()
                      .with(
                          t -> {
                            t.imprintAlgorithm = hash;
                            return t;
                          })
                      .encode()))
          .isNotNull();
    }
  }

  // --- (b) parse ------------------------------------------------------------------------------

  @Test
  void garbageAndTrailingDataAndOversizeAreParseErrors() throws Exception {
    assertThatThrownBy(() -> verify(new byte[] {0x30, 0x03, 0x02}))
        .hasMessageStartingWith(PARSE + "cms: syntax error: invalid signed data: ");
    byte[] token = tsa.token().encode();
    byte[] trailing = Arrays.copyOf(token, token.length + 2);
    trailing[token.length] = 0x05;
    assertThatThrownBy(() -> verify(trailing))
        .hasMessage(PARSE + "cms: syntax error: invalid signed data: trailing data");
    assertThatThrownBy(() -> verify(new byte[Rfc3161TimestampVerifier.MAX_TOKEN_SIZE + 1]))
        .hasMessage(PARSE + "timestamp token exceeds the size limit of 1048576 bytes");
    assertThatThrownBy(() -> verify(new byte[0])).hasMessage(PARSE + "timestamp token is empty");
  }

  @Test
  void contentInfoMustBeSignedDataVersion3() throws Exception {
    byte[] token = tsa.token().encode();
    ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(token));
    byte[] notSigned =
        new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(new byte[] {1})).getEncoded();
    assertThatThrownBy(() -> verify(notSigned))
        .hasMessage(PARSE + "cms: content type is not signed-data");

    ASN1Sequence signedData = ASN1Sequence.getInstance(info.getContent());
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(1));
    for (int i = 1; i < signedData.size(); i++) {
      v.add(signedData.getObjectAt(i));
    }
    byte[] version1 =
        new ContentInfo(CMSObjectIdentifiers.signedData, new DERSequence(v)).getEncoded();
    assertThatThrownBy(() -> verify(version1))
        .hasMessage(PARSE + "cms: syntax error: unsupported signed data version: got 1, want 3");
  }

  /**
   * {@code token} with its certificates and signer infos changed (the signature is left as is, so
   * only checks made before it can fail).
   */
  private static byte[] rebuilt(
      byte[] token, UnaryOperator<ASN1Set> certificates, UnaryOperator<ASN1Set> signerInfos)
      throws Exception {
    ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(token));
    SignedData sd = SignedData.getInstance(info.getContent());
    SignedData changed =
        new SignedData(
            sd.getDigestAlgorithms(),
            sd.getEncapContentInfo(),
            certificates.apply(sd.getCertificates()),
            sd.getCRLs(),
            signerInfos.apply(sd.getSignerInfos()));
    return new ContentInfo(CMSObjectIdentifiers.signedData, changed).getEncoded();
  }

  private static ASN1Set repeated(ASN1Encodable element, int times) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    for (int i = 0; i < times; i++) {
      v.add(element);
    }
    return new DLSet(v);
  }

  @Test
  void moreThan32CertificatesOrMoreThan8SignersAreParseErrors() throws Exception {
    byte[] token = tsa.token().encode();
    byte[] manyCertificates = rebuilt(token, c -> repeated(c.getObjectAt(0), 33), s -> s);
    assertThatThrownBy(() -> verify(manyCertificates))
        .hasMessage(PARSE + "cms: too many certificates: 33");
    byte[] manySigners = rebuilt(token, c -> c, s -> repeated(s.getObjectAt(0), 9));
    assertThatThrownBy(() -> verify(manySigners))
        .hasMessage(PARSE + "cms: too many signer infos: 9");
  }

  @Test
  void aRepeatedSignedAttributeIsRejected() throws Exception {
    byte[] token =
        rebuilt(
            tsa.token().encode(),
            c -> c,
            signers -> {
              SignerInfo signer = SignerInfo.getInstance(signers.getObjectAt(0));
              ASN1EncodableVector attributes = new ASN1EncodableVector();
              for (ASN1Encodable a : signer.getAuthenticatedAttributes()) {
                attributes.add(a);
                if (Attribute.getInstance(a)
                    .getAttrType()
                    .equals(PKCSObjectIdentifiers.id_aa_signingCertificateV2)) {
                  attributes.add(a);
                }
              }
              return new DLSet(
                  new SignerInfo(
                      signer.getSID(),
                      signer.getDigestAlgorithm(),
                      new DLSet(attributes),
                      signer.getDigestEncryptionAlgorithm(),
                      signer.getEncryptedDigest(),
                      signer.getUnauthenticatedAttributes()));
            });
    assertThatThrownBy(() -> verify(token))
        .isInstanceOf(TimestampException.class)
        .hasMessageContaining(
            "attribute " + PKCSObjectIdentifiers.id_aa_signingCertificateV2.getId()
                + " must have exactly one value");
  }

  @Test
  void deeplyNestedBerIsAParseErrorNotACrash() {
    byte[] nested = new byte[Rfc3161TimestampVerifier.MAX_TOKEN_SIZE];
    for (int i = 0; i + 1 < nested.length; i += 2) {
      nested[i] = 0x30;
      nested[i + 1] = (byte) 0x80;
    }
    assertThatThrownBy(() -> verify(nested))
        .isInstanceOf(TimestampException.class)
        .hasMessageStartingWith(PARSE);
  }

  // --- (c) TSTInfo ----------------------------------------------------------------------------

  @Test
  void sha1ImprintIsRejected() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.imprintAlgorithm = OIWObjectIdentifiers.idSHA1;
                  return t;
                })
            .encode();
    assertFails(token, INFO + "invalid TSTInfo: unrecognized hash algorithm: 1.3.14.3.2.26");
  }

  @Test
  void genTimeFractionsAreKept() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.genTime = "20240102030405.123456789Z";
                  return t;
                })
            .encode();
    assertThat(verify(token).genTime()).isEqualTo(Instant.parse("2024-01-02T03:04:05.123456789Z"));
  }

  @Test
  void accuracyIsTheSumOfItsFields() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.accuracy =
                      new Accuracy(new ASN1Integer(2), new ASN1Integer(500), new ASN1Integer(250));
                  return t;
                })
            .encode();
    assertThat(verify(token).accuracy()).isEqualTo(Duration.ofMillis(2500).plusNanos(250_000));
  }

  @Test
  void baselinePolicyWithoutAccuracyMeansOneSecond() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.accuracy = null;
                  t.policy = TokenInfo.BASELINE_POLICY;
                  return t;
                })
            .encode();
    assertThat(verify(token).accuracy()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void otherPolicyWithoutAccuracyMeansZero() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.accuracy = null;
                  return t;
                })
            .encode();
    VerifiedTimestamp ts = verify(token);
    assertThat(ts.accuracy()).isZero();
    assertThat(ts.earliest()).isEqualTo(ts.latest());
  }

  @Test
  void baselinePolicyKeepsAnExplicitAccuracy() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.accuracy = new Accuracy(null, new ASN1Integer(300), null);
                  t.policy = TokenInfo.BASELINE_POLICY;
                  return t;
                })
            .encode();
    assertThat(verify(token).accuracy()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void absurdAccuracyIsRejected() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.accuracy = new Accuracy(new ASN1Integer(86_401), null, null);
                  return t;
                })
            .encode();
    assertFails(token, INFO + "invalid TSTInfo: accuracy out of range");
  }

  // --- (d) imprint ----------------------------------------------------------------------------

  @Test
  void imprintOverOtherBytesIsAMismatch() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.message = "other".getBytes();
                  return t;
                })
            .encode();
    assertFails(
        token,
        "failed to get timestamp from timestamp countersignature with error: invalid TSTInfo:"
            + " mismatched message");
  }

  // --- (e) roots ------------------------------------------------------------------------------

  @Test
  void trustStoreErrorsAndEmptyStores() throws Exception {
    byte[] token = tsa.token().encode();
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token,
                    SIGNATURE,
                    () -> {
                      throw new TrustStoreException(
                          "the trust store \"does-not-exist\" of type \"tsa\" does not exist");
                    }))
        .hasMessage(
            "failed to load tsa trust store with error: the trust store \"does-not-exist\" of type"
                + " \"tsa\" does not exist");
    assertThatThrownBy(() -> verifier.verify(token, SIGNATURE, List::of))
        .hasMessage("no trusted TSA certificate found in trust store");
  }

  @Test
  void rootsAreNotLoadedForAMismatchedToken() throws Exception {
    byte[] token = tsa.token().encode();
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token,
                    "other".getBytes(),
                    () -> {
                      throw new AssertionError("roots loaded too early");
                    }))
        .hasMessageEndingWith("mismatched message");
  }

  // --- (f) ESS signingCertificateV2 -----------------------------------------------------------

  @Test
  void essV1OnlyTokenFromBouncyCastleIsRejected() throws Exception {
    byte[] token = generatorToken(OIWObjectIdentifiers.idSHA1, Date.from(GEN_TIME), SIGNATURE);
    assertFails(
        token,
        VERIFY + "failed to get SigningCertificateV2 from signed attributes: attribute not found");
  }

  @Test
  void missingEssV2IsRejected() throws Exception {
    assertFails(
        tsa.token()
            .with(
                t -> {
                  t.essV2 = false;
                  return t;
                })
            .encode(),
        VERIFY + "failed to get SigningCertificateV2 from signed attributes: attribute not found");
  }

  @Test
  void essV2WithoutCertificatesIsRejected() throws Exception {
    assertFails(
        tsa.token()
            .with(
                t -> {
                  t.essEmpty = true;
                  return t;
                })
            .encode(),
        VERIFY + "signingCertificateV2 does not contain any certificate");
  }

  @Test
  void essCertHashMismatchIsRejected() throws Exception {
    assertFails(
        tsa.token()
            .with(
                t -> {
                  t.essCertHash = new byte[32];
                  return t;
                })
            .encode(),
        VERIFY + "signing certificate hash does not match CertHash in signed attribute");
  }

  @Test
  void essSha1CertHashIsRejected() throws Exception {
    assertFails(
        tsa.token()
            .with(
                t -> {
                  t.essHash = OIWObjectIdentifiers.idSHA1;
                  return t;
                })
            .encode(),
        VERIFY + "unsupported certificate hash algorithm in SigningCertificateV2 attribute");
  }

  @Test
  void essSha512CertHashIsAccepted() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.essHash = NISTObjectIdentifiers.id_sha512;
                  return t;
                })
            .encode();
    assertThat(verify(token).tsaChain()).hasSize(3);
  }

  @Test
  void essWithoutIssuerSerialFallsBackToTheSignerIdentifier() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.essIssuerSerial = false;
                  return t;
                })
            .encode();
    assertThat(verify(token).tsaChain().getFirst()).isEqualTo(tsa.leaf.certificate());
  }

  @Test
  void signingCertificateMissingFromTokenIsNotFound() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.certificates = List.of(tsa.intermediate.certificate());
                  return t;
                })
            .encode();
    assertFails(token, VERIFY + "signing certificate not found in the timestamp token");
  }

  @Test
  void certificateWithSameIssuerAndSerialButOtherContentFailsTheHash() throws Exception {
    TestPki.Issued twin =
        TestPki.tsaLeaf("CN=Impostor TSA,O=Signet,C=US")
            .serial(tsa.leaf.certificate().getSerialNumber())
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
            .issuedBy(tsa.intermediate);
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.certificates = List.of(twin.certificate(), tsa.intermediate.certificate());
                  return t;
                })
            .encode();
    assertFails(
        token, VERIFY + "signing certificate hash does not match CertHash in signed attribute");
  }

  // --- (f) signature algorithms ---------------------------------------------------------------

  @Test
  void rsaPssWithSaltEqualToHashIsAccepted() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.signatureAlgorithm = "SHA256withRSAandMGF1";
                  return t;
                })
            .encode();
    assertThat(verify(token).genTime()).isEqualTo(GEN_TIME);
  }

  @Test
  void rsaPssWithAnotherSaltIsUnknown() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.signatureAlgorithm = "RSASSA-PSS";
                  t.signatureParameters =
                      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1);
                  return t;
                })
            .encode();
    assertFails(token, VERIFY + "cms verification failure: unknown signature algorithm");
  }

  @Test
  void ecdsaSignedTokenIsAccepted() throws Exception {
    TestTsa ec =
        new TestTsa(
            TestPki.tsaLeaf("CN=EC TSA,O=Signet,C=US")
                .keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P256)));
    byte[] token =
        ec.token()
            .with(
                t -> {
                  t.signatureAlgorithm = "SHA384withECDSA";
                  t.digestAlgorithm = NISTObjectIdentifiers.id_sha384;
                  return t;
                })
            .encode();
    VerifiedTimestamp ts = verifier.verify(token, SIGNATURE, () -> List.of(ec.root.certificate()));
    assertThat(ts.tsaChain().getFirst()).isEqualTo(ec.leaf.certificate());
  }

  @Test
  void sha1SignerDigestIsRejected() throws Exception {
    byte[] token =
        tsa.token()
            .with(
                t -> {
                  t.signatureAlgorithm = "SHA1withRSA";
                  t.digestAlgorithm = OIWObjectIdentifiers.idSHA1;
                  return t;
                })
            .encode();
    assertFails(
        token, VERIFY + "cms verification failure: unsupported digest algorithm: 1.3.14.3.2.26");
  }

  @Test
  void signatureByAnotherKeyFails() throws Exception {
    TestPki.Issued other =
        TestPki.tsaLeaf("CN=Test TSA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_3072))
            .issuedBy(tsa.intermediate);
    // The ESS attribute and sid name the genuine leaf, but the key that signs is another.
    TestTsa.Token token = tsa.token();
    TestPki.Issued forged = new TestPki.Issued(tsa.leaf.certificate(), other.keyPair());
    token.signer = forged;
    assertFails(
        token.encode(), VERIFY + "cms verification failure: crypto/rsa: verification error");
  }

  // --- (f) signed attributes ------------------------------------------------------------------

  @Test
  void contentTypeAttributeIsRequiredAndMustBeTstInfo() throws Exception {
    assertFails(
        tsa.token()
            .with(
                t -> {
                  t.contentTypeAttribute = false;
                  return t;
                })
            .encode(),
        VERIFY + "cms verification failure: missing content type attribute");
    assertFails(
        tsa.token()
            .with(
                t -> {
                  t.contentType = PKCSObjectIdentifiers.data;
                  return t;
                })
            .encode(),
        VERIFY + "cms verification failure: invalid content type attribute");
  }

  @Test
  void messageDigestMustMatchTheTstInfo() throws Exception {
    assertFails(
        tsa.token()
            .with(
                t -> {
                  t.digestCorrupt = true;
                  return t;
                })
            .encode(),
        VERIFY + "cms verification failure: invalid message digest");
  }

  @Test
  void signingTimeWithinChainValidityPassesAndOutsideFails() throws Exception {
    assertThat(
            verify(
                tsa.token()
                    .with(
                        t -> {
                          t.signingTime = GEN_TIME.plusSeconds(1);
                          return t;
                        })
                    .encode()))
        .isNotNull();
    assertThatThrownBy(
            () ->
                verify(
                    tsa.token()
                        .with(
                            t -> {
                              t.signingTime = Instant.parse("2019-06-01T00:00:00Z");
                              return t;
                            })
                        .encode()))
        .hasMessageStartingWith(VERIFY + "cms verification failure: signing time, ");
  }

  // --- (f) EKU ----------------------------------------------------------------------------------

  @Test
  void leafWithoutTimeStampingEkuIsRejected() throws Exception {
    for (KeyPurposeId[] purposes :
        List.of(
            new KeyPurposeId[] {KeyPurposeId.id_kp_codeSigning},
            new KeyPurposeId[] {KeyPurposeId.id_kp_timeStamping, KeyPurposeId.id_kp_codeSigning})) {
      TestTsa other =
          new TestTsa(
              TestPki.tsaLeaf("CN=Wrong EKU TSA,O=Signet,C=US")
                  .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
                  .extendedKeyUsage(true, purposes));
      byte[] token = other.token().encode();
      assertThatThrownBy(
              () -> verifier.verify(token, SIGNATURE, () -> List.of(other.root.certificate())))
          .hasMessage(
              VERIFY
                  + "signing certificate must have and only have ExtKeyUsageTimeStamping as"
                  + " extended key usage");
    }
  }

  @Test
  void leafWithoutEkuIsRejected() throws Exception {
    TestTsa other =
        new TestTsa(
            TestPki.tsaLeaf("CN=No EKU TSA,O=Signet,C=US")
                .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
                .extendedKeyUsage(false));
    byte[] token = other.token().encode();
    assertThatThrownBy(
            () -> verifier.verify(token, SIGNATURE, () -> List.of(other.root.certificate())))
        .hasMessage(
            VERIFY
                + "signing certificate must have and only have ExtKeyUsageTimeStamping as extended"
                + " key usage");
  }

  @Test
  void nonCriticalTimeStampingEkuIsRejected() throws Exception {
    TestTsa other =
        new TestTsa(
            TestPki.tsaLeaf("CN=Soft EKU TSA,O=Signet,C=US")
                .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
                .extendedKeyUsage(false, KeyPurposeId.id_kp_timeStamping));
    byte[] token = other.token().encode();
    assertThatThrownBy(
            () -> verifier.verify(token, SIGNATURE, () -> List.of(other.root.certificate())))
        .hasMessage(
            VERIFY + "signing certificate extended key usage extension must be set as critical");
  }

  // --- (f) path validation at genTime ---------------------------------------------------------

  @Test
  void unknownRootIsAnUnknownAuthority() throws Exception {
    TestPki.Issued stranger =
        TestPki.root(TestTsa.ROOT_DN)
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
            .selfSigned();
    byte[] token = tsa.token().encode();
    assertThatThrownBy(
            () -> verifier.verify(token, SIGNATURE, () -> List.of(stranger.certificate())))
        .hasMessage(
            VERIFY + "cms verification failure: x509: certificate signed by unknown authority");
  }

  @Test
  void rootInsideTheTokenIsNotTrusted() throws Exception {
    TestPki.Issued ownRoot =
        TestPki.root("CN=Token Root,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P256))
            .selfSigned();
    TestPki.Issued leaf =
        TestPki.tsaLeaf("CN=Token TSA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
            .issuedBy(ownRoot);
    byte[] token =
        new TestTsa.Token().signer(leaf, leaf.certificate(), ownRoot.certificate()).encode();
    assertThatThrownBy(() -> verify(token))
        .hasMessage(
            VERIFY + "cms verification failure: x509: certificate signed by unknown authority");
    assertThat(verifier.verify(token, SIGNATURE, () -> List.of(ownRoot.certificate())).tsaChain())
        .containsExactly(leaf.certificate(), ownRoot.certificate());
  }

  @Test
  void expiredTsaCertificateStillVouchesForATimeWithinItsValidity() throws Exception {
    TestTsa expired =
        new TestTsa(
            TestPki.tsaLeaf("CN=Old TSA,O=Signet,C=US")
                .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
                .validity(
                    Instant.parse("2021-01-01T00:00:00Z"), Instant.parse("2022-01-01T00:00:00Z")));
    byte[] token =
        expired
            .token()
            .with(
                t -> {
                  t.genTime = "20210601120000Z";
                  t.signingTime = Instant.parse("2021-06-01T12:00:00Z");
                  return t;
                })
            .encode();
    VerifiedTimestamp ts =
        verifier.verify(token, SIGNATURE, () -> List.of(expired.root.certificate()));
    assertThat(ts.genTime()).isEqualTo(Instant.parse("2021-06-01T12:00:00Z"));
    assertThat(ts.tsaChain().getFirst()).isEqualTo(expired.leaf.certificate());
  }

  @Test
  void tokenFromBeforeTheTsaCertificateIsRejected() throws Exception {
    TestTsa young =
        new TestTsa(
            TestPki.tsaLeaf("CN=Young TSA,O=Signet,C=US")
                .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
                .validity(
                    Instant.parse("2024-06-01T00:00:00Z"), Instant.parse("2034-01-01T00:00:00Z")));
    byte[] token = young.token().encode(); // genTime 2024-01-02
    assertThatThrownBy(
            () -> verifier.verify(token, SIGNATURE, () -> List.of(young.root.certificate())))
        .hasMessage(
            VERIFY
                + "cms verification failure: x509: certificate has expired or is not yet valid:"
                + " current time 2024-01-02T03:04:05.250Z is before 2024-06-01T00:00:00Z");
  }

  @Test
  void tokenAfterTheTsaCertificateExpiredIsRejected() throws Exception {
    TestTsa old =
        new TestTsa(
            TestPki.tsaLeaf("CN=Old TSA,O=Signet,C=US")
                .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
                .validity(
                    Instant.parse("2021-01-01T00:00:00Z"), Instant.parse("2022-01-01T00:00:00Z")));
    byte[] token = old.token().encode();
    assertThatThrownBy(
            () -> verifier.verify(token, SIGNATURE, () -> List.of(old.root.certificate())))
        .hasMessageStartingWith(
            VERIFY
                + "cms verification failure: x509: certificate has expired or is not yet valid:");
  }

  @Test
  void intermediateExpiredAtGenTimeBreaksTheChain() throws Exception {
    TestPki.Issued root =
        TestPki.root("CN=Old CA Root,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_3072))
            .selfSigned();
    TestPki.Issued ca =
        TestPki.intermediate("CN=Old CA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P384))
            .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"))
            .issuedBy(root);
    TestPki.Issued leaf =
        TestPki.tsaLeaf("CN=Old CA TSA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
            .issuedBy(ca);
    byte[] token = new TestTsa.Token().signer(leaf, leaf.certificate(), ca.certificate()).encode();
    assertThatThrownBy(() -> verifier.verify(token, SIGNATURE, () -> List.of(root.certificate())))
        .hasMessage(
            VERIFY
                + "cms verification failure: x509: certificate has expired or is not yet valid:"
                + " current time 2024-01-02T03:04:05.250Z is after 2021-01-01T00:00:00Z");
  }

  @Test
  void caWhoseEkuExcludesTimeStampingBreaksTheChain() throws Exception {
    TestPki.Issued root =
        TestPki.root("CN=EKU Root,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_3072))
            .selfSigned();
    TestPki.Issued ca =
        TestPki.intermediate("CN=EKU CA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P384))
            .extendedKeyUsage(false, KeyPurposeId.id_kp_codeSigning)
            .issuedBy(root);
    TestPki.Issued leaf =
        TestPki.tsaLeaf("CN=EKU TSA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
            .issuedBy(ca);
    byte[] token = new TestTsa.Token().signer(leaf, leaf.certificate(), ca.certificate()).encode();
    assertThatThrownBy(() -> verifier.verify(token, SIGNATURE, () -> List.of(root.certificate())))
        .hasMessage(
            VERIFY
                + "cms verification failure: x509: certificate specifies an incompatible key"
                + " usage");
  }

  @Test
  void sha1SignedIntermediateIsRejected() throws Exception {
    TestPki.Issued root =
        TestPki.root("CN=SHA1 Root,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_3072))
            .selfSigned();
    TestPki.Issued ca =
        TestPki.intermediate("CN=SHA1 CA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P256))
            .signatureAlgorithm("SHA1withRSA")
            .issuedBy(root);
    TestPki.Issued leaf =
        TestPki.tsaLeaf("CN=SHA1 TSA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048))
            .issuedBy(ca);
    byte[] token = new TestTsa.Token().signer(leaf, leaf.certificate(), ca.certificate()).encode();
    assertThatThrownBy(() -> verifier.verify(token, SIGNATURE, () -> List.of(root.certificate())))
        .hasMessage(
            VERIFY
                + "cms verification failure: x509: cannot verify signature: insecure algorithm"
                + " SHA1withRSA");
  }

  // --- (g) chain rules ------------------------------------------------------------------------

  @Test
  void chainRulesSeeTheBuiltChainAndTheirErrorIsReported() throws Exception {
    byte[] token = tsa.token().encode();
    List<List<X509Certificate>> seen = new ArrayList<>();
    new Rfc3161TimestampVerifier(seen::add)
        .verify(token, SIGNATURE, () -> List.of(tsa.root.certificate()));
    assertThat(seen)
        .containsExactly(
            List.of(
                tsa.leaf.certificate(), tsa.intermediate.certificate(), tsa.root.certificate()));

    Rfc3161TimestampVerifier strict =
        new Rfc3161TimestampVerifier(
            chain -> {
              throw new CertificateChainException(
                  "timestamp signing certificate with subject \"CN=Test TSA\" must have extended"
                      + " key usage extension marked as critical");
            });
    assertThatThrownBy(() -> strict.verify(token, SIGNATURE, () -> List.of(tsa.root.certificate())))
        .isInstanceOf(TimestampException.class)
        .hasMessage(
            "failed to validate the timestamping certificate chain with error: timestamp signing"
                + " certificate with subject \"CN=Test TSA\" must have extended key usage extension"
                + " marked as critical");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** A token made by BouncyCastle's own TSA classes; ESS v1 when {@code essHash} is SHA-1. */
  private static byte[] generatorToken(ASN1ObjectIdentifier essHash, Date genTime, byte[] message)
      throws Exception {
    SignerInfoGenerator signerInfo =
        new JcaSimpleSignerInfoGeneratorBuilder()
            .build("SHA256withRSA", tsa.leaf.privateKey(), tsa.leaf.certificate());
    DigestCalculator essDigest =
        new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(essHash));
    TimeStampTokenGenerator tokens =
        new TimeStampTokenGenerator(signerInfo, essDigest, new ASN1ObjectIdentifier("1.2.3.4.1"));
    tokens.addCertificates(
        new JcaCertStore(List.of(tsa.leaf.certificate(), tsa.intermediate.certificate())));
    tokens.setAccuracySeconds(1);
    tokens.setAccuracyMillis(500);
    tokens.setResolution(TimeStampTokenGenerator.R_MILLISECONDS);
    TimeStampRequestGenerator requests = new TimeStampRequestGenerator();
    requests.setCertReq(true);
    TimeStampRequest request =
        requests.generate(
            TSPAlgorithms.SHA256,
            MessageDigest.getInstance("SHA-256").digest(message),
            BigInteger.valueOf(7));
    TimeStampResponse response =
        new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED)
            .generate(request, BigInteger.valueOf(99), genTime);
    return response.getTimeStampToken().getEncoded();
  }
}
