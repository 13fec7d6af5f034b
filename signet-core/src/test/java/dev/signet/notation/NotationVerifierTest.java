package dev.signet.notation;

// Checklist §8: every check of the verification workflow, both ways, for JWS and COSE envelopes
// made in code.

import static dev.signet.notation.NotationVerifierVectorsTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cbor.CborValue;
import dev.signet.deadline.Deadline;
import dev.signet.notation.envelope.SignatureEnvelope;
import dev.signet.notation.envelope.SigningScheme;
import dev.signet.notation.revocation.CertificateStatus;
import dev.signet.notation.revocation.OnlineRevocationChecker;
import dev.signet.notation.x509.Purpose;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.notation.revocation.RevocationStatus;
import dev.signet.notation.timestamp.Rfc3161TimestampVerifier;
import dev.signet.notation.timestamp.TestTsa;
import dev.signet.notation.timestamp.TimestampVerifier;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.notation.trustpolicy.ValidationAction;
import dev.signet.notation.truststore.StoreType;
import dev.signet.notation.truststore.TrustStore;
import dev.signet.notation.truststore.TrustStoreException;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.notation.x509.GoNameFormat;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.testing.CoseTestSigner;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.TestCrl;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.TestPki.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NotationVerifierTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant SIGNED_AT = Instant.parse("2024-01-02T03:04:05Z");
  private static final String SCOPE = "registry.example/app";
  private static final Descriptor TARGET =
      new Descriptor(
          MediaTypes.DOCKER_MANIFEST,
          Digest.sha256("the signed manifest".getBytes(StandardCharsets.UTF_8)),
          1234);
  private static final String REF = SCOPE + "@" + TARGET.digest();
  private static final String LEAF_DN = "CN=Verifier Leaf,O=Signet,L=Seattle,ST=WA,C=US";
  private static final String STRICT = "{\"level\":\"strict\"}";
  private static final String PERMISSIVE = "{\"level\":\"permissive\"}";
  private static final String AUDIT = "{\"level\":\"audit\"}";
  private static final TimestampVerifier RFC3161 =
      new Rfc3161TimestampVerifier(CertificateChains::validateTimestamping);

  private static TestPki.Issued root;
  private static TestPki.Issued intermediate;
  private static TestPki.Issued leaf;
  private static TestPki.Issued otherRoot;
  private static TestTsa tsa;
  private static OnlineRevocationChecker online;

  /** The envelope formats. */
  enum Format {
    JWS(MediaTypes.JWS_ENVELOPE),
    COSE(MediaTypes.COSE_ENVELOPE);

    final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  @BeforeAll
  static void pki() {
    root =
        TestPki.root("CN=Verifier Root,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(KeyType.RSA_3072))
            .selfSigned();
    intermediate =
        TestPki.intermediate("CN=Verifier CA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(KeyType.EC_P384))
            .issuedBy(root);
    leaf = TestPki.leaf(LEAF_DN).keyPair(TestPki.sharedKey(KeyType.EC_P256)).issuedBy(intermediate);
    otherRoot =
        TestPki.root("CN=Other Root,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(KeyType.RSA_3072))
            .selfSigned();
    tsa = new TestTsa();
    online = OnlineRevocationChecker.builder().clock(CLOCK).build();
  }

  @AfterAll
  static void close() {
    online.close();
  }

  // ---------------------------------------------------------------- helpers

  /** What to sign; every field has a default that verifies. */
  static final class Sig {
    PrivateKey key = leaf.privateKey();
    List<X509Certificate> chain =
        List.of(leaf.certificate(), intermediate.certificate(), root.certificate());
    Descriptor target = TARGET;
    SigningScheme scheme = SigningScheme.X509;
    Instant signingTime = SIGNED_AT;
    Instant expiry;
    String attribute;
    boolean attributeCritical;
    TimestampFor timestamp;
    boolean tamper;

    Sig by(TestPki.Issued signer, X509Certificate... rest) {
      key = signer.privateKey();
      List<X509Certificate> c = new ArrayList<>();
      c.add(signer.certificate());
      c.addAll(List.of(rest));
      chain = c;
      return this;
    }

    byte[] envelope(Format format) {
      return format == Format.JWS ? jws() : cose();
    }

    private byte[] jws() {
      JwsTestSigner s =
          JwsTestSigner.of(key, chain)
              .payloadDescriptor(target.mediaType(), target.digest().toString(), target.size());
      if (scheme == SigningScheme.X509_SIGNING_AUTHORITY) {
        s.scheme(scheme).authenticSigningTime(signingTime);
      } else {
        s.signingTime(signingTime);
      }
      if (expiry != null) {
        s.expiry(expiry);
      }
      if (attribute != null) {
        s.attribute(attribute, "some value", attributeCritical);
      }
      JwsTestSigner.Envelope env = s.sign();
      if (timestamp != null) {
        byte[] token = timestamp.over(Base64.getUrlDecoder().decode(env.signatureText()));
        env =
            env.withHeader(
                h -> {
                  h.put(
                      "io.cncf.notary.timestampSignature",
                      Base64.getEncoder().encodeToString(token));
                  return h;
                });
      }
      if (tamper) {
        env =
            env.withPayloadText(
                JwsTestSigner.base64Url(
                    CoseTestSigner.payloadFor(
                        new Descriptor(target.mediaType(), target.digest(), target.size() + 1))));
      }
      return env.bytes();
    }

    private CoseTestSigner coseSigner() {
      CoseTestSigner s =
          CoseTestSigner.of(key, chain).descriptor(target).scheme(scheme).signingTime(signingTime);
      if (expiry != null) {
        s.expiry(expiry);
      }
      if (attribute != null) {
        s.attribute(attribute, CborValue.of("some value"), attributeCritical);
      }
      if (tamper) {
        s.payloadValue(
            CborValue.of(
                CoseTestSigner.payloadFor(
                    new Descriptor(target.mediaType(), target.digest(), target.size() + 1))));
      }
      return s;
    }

    private byte[] cose() {
      if (timestamp == null) {
        return coseSigner().sign();
      }
      // The token countersigns the signature bytes; reuse them so the envelope stays valid.
      byte[] first = coseSigner().sign();
      byte[] signature;
      try {
        signature = SignatureEnvelope.verify(MediaTypes.COSE_ENVELOPE, first).signature();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return coseSigner().signature(signature).timestampToken(timestamp.over(signature)).sign();
    }
  }

  /** Makes an RFC 3161 token over the raw signature bytes. */
  @FunctionalInterface
  interface TimestampFor {
    byte[] over(byte[] signature);
  }

  private static TimestampFor tsaToken(String genTime) {
    return signature -> {
      TestTsa.Token t = tsa.token();
      t.message = signature;
      t.genTime = genTime;
      try {
        return t.encode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** In-memory named stores. */
  private static TrustStore stores(Object... typeNameCerts) {
    Map<String, List<X509Certificate>> m = new HashMap<>();
    for (int i = 0; i < typeNameCerts.length; i += 3) {
      m.put(
          ((StoreType) typeNameCerts[i]).value() + ":" + typeNameCerts[i + 1],
          List.of((X509Certificate[]) typeNameCerts[i + 2]));
    }
    return (type, name) -> {
      List<X509Certificate> certs = m.get(type.value() + ":" + name);
      if (certs == null) {
        throw new TrustStoreException("the trust store \"" + name + "\" does not exist");
      }
      return certs;
    };
  }

  private static TrustStore rootStores() {
    return stores(
        StoreType.CA,
        "roots",
        new X509Certificate[] {root.certificate()},
        StoreType.SIGNING_AUTHORITY,
        "roots",
        new X509Certificate[] {root.certificate()},
        StoreType.TSA,
        "tsa",
        new X509Certificate[] {tsa.root.certificate()});
  }

  private static TrustPolicyDocument doc(String verification, String stores, String identities)
      throws Exception {
    return policy("statement", SCOPE, verification, stores, identities);
  }

  private static TrustPolicyDocument doc(String verification) throws Exception {
    return doc(verification, "\"ca:roots\",\"signingAuthority:roots\"", "\"*\"");
  }

  private static VerificationOutcome verify(
      TrustPolicyDocument policy,
      TrustStore stores,
      RevocationChecker revocation,
      Format format,
      byte[] envelope) {
    return new NotationVerifier(policy, stores, RFC3161, revocation, CLOCK)
        .verify(
            TARGET,
            REF,
            format.mediaType,
            envelope,
            Deadline.after(Clock.systemUTC(), Duration.ofSeconds(20)));
  }

  private static VerificationOutcome verify(TrustPolicyDocument policy, Format format, Sig sig) {
    return verify(policy, rootStores(), online, format, sig.envelope(format));
  }

  private static VerificationOutcome verify(String verification, Format format, Sig sig)
      throws Exception {
    return verify(doc(verification), format, sig);
  }

  private static void assertPassed(VerificationOutcome outcome) {
    assertThat(outcome.verified()).as("%s", outcome).isTrue();
    assertThat(outcome.failedCheck()).isNull();
    assertThat(outcome.reason()).isNull();
    assertThat(outcome.warnings()).isEmpty();
    assertThat(outcome.results()).isNotEmpty().allMatch(CheckResult::passed);
  }

  private static void assertFailed(VerificationOutcome outcome, Check check, String reasonPrefix) {
    assertThat(outcome.verified()).as("%s", outcome).isFalse();
    assertThat(outcome.failedCheck()).isEqualTo(check);
    assertThat(outcome.reason()).startsWith(reasonPrefix);
    assertThat(outcome.results().get(outcome.results().size() - 1))
        .satisfies(
            r -> {
              assertThat(r.check()).isEqualTo(check);
              assertThat(r.fatal()).isTrue();
            });
  }

  private static void assertWarned(VerificationOutcome outcome, Check check, String prefix) {
    assertThat(outcome.verified()).as("%s", outcome).isTrue();
    assertThat(outcome.failedCheck()).isNull();
    assertThat(outcome.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.check()).isEqualTo(check);
              assertThat(w.action()).isEqualTo(ValidationAction.LOG);
              assertThat(w.failure()).startsWith(prefix);
            });
  }

  private static String rfc1123(String instant) {
    return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
        .withZone(ZoneOffset.UTC)
        .format(Instant.parse(instant));
  }

  // ---------------------------------------------------------------- integrity

  @ParameterizedTest
  @EnumSource(Format.class)
  void wellFormedSignaturePassesEveryCheck(Format format) throws Exception {
    VerificationOutcome outcome = verify(STRICT, format, new Sig());
    assertPassed(outcome);
    assertThat(outcome.statement()).isEqualTo("statement");
    assertThat(outcome.content().leaf()).isEqualTo(leaf.certificate());
    assertThat(outcome.results())
        .extracting(CheckResult::check)
        .containsExactly(
            Check.INTEGRITY,
            Check.AUTHENTICITY,
            Check.TRUSTED_IDENTITY,
            Check.EXPIRY,
            Check.AUTHENTIC_TIMESTAMP,
            Check.REVOCATION,
            Check.INTEGRITY);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void tamperedPayloadFailsIntegrityEvenAtAudit(Format format) throws Exception {
    Sig sig = new Sig();
    sig.tamper = true;
    VerificationOutcome outcome = verify(AUDIT, format, sig);
    assertFailed(outcome, Check.INTEGRITY, "unable to parse the digital signature, error : ");
    assertThat(outcome.content()).isNull();
    assertThat(outcome.results()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void unsupportedOrWrongEnvelopeMediaTypeFailsIntegrity(Format format) throws Exception {
    byte[] envelope = new Sig().envelope(format);
    VerificationOutcome unsupported =
        new NotationVerifier(doc(AUDIT), rootStores(), RFC3161, online, CLOCK)
            .verify(TARGET, REF, "application/unsupported+json", envelope, Deadline.none(CLOCK));
    assertFailed(
        unsupported,
        Check.INTEGRITY,
        "unable to parse the digital signature, error : signature envelope format with media type"
            + " \"application/unsupported+json\" is not supported");
    Format other = format == Format.JWS ? Format.COSE : Format.JWS;
    VerificationOutcome swapped = verify(doc(AUDIT), rootStores(), online, other, envelope);
    assertFailed(swapped, Check.INTEGRITY, "unable to parse the digital signature, error : ");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void unknownCriticalAttributeFailsIntegrity(Format format) throws Exception {
    Sig sig = new Sig();
    sig.attribute = "com.example.mustUnderstand";
    sig.attributeCritical = true;
    VerificationOutcome outcome = verify(AUDIT, format, sig);
    assertFailed(
        outcome,
        Check.INTEGRITY,
        "the signature marks the extended attribute \"com.example.mustUnderstand\" as critical,"
            + " and it is not understood");
    assertThat(outcome.content()).isNotNull();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void unknownNonCriticalAttributePasses(Format format) throws Exception {
    Sig sig = new Sig();
    sig.attribute = "com.example.informational";
    VerificationOutcome outcome = verify(STRICT, format, sig);
    assertPassed(outcome);
    assertThat(outcome.content().extendedAttributes())
        .anySatisfy(a -> assertThat(a.key()).isEqualTo("com.example.informational"));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void verificationPluginAttributeFailsIntegrity(Format format) throws Exception {
    Sig sig = new Sig();
    sig.attribute = NotationVerifier.VERIFICATION_PLUGIN;
    sig.attributeCritical = true;
    assertFailed(
        verify(AUDIT, format, sig),
        Check.INTEGRITY,
        "the signature requires the verification plugin \"some value\", and verification plugins"
            + " are not supported");
  }

  // ---------------------------------------------------------------- authenticity

  @ParameterizedTest
  @EnumSource(Format.class)
  void anyPinnedCertificateOfTheChainIsTrusted(Format format) throws Exception {
    byte[] envelope = new Sig().envelope(format);
    TrustPolicyDocument policy = doc(STRICT, "\"ca:pinned\"", "\"*\"");
    for (X509Certificate pinned : List.of(root.certificate(), intermediate.certificate())) {
      VerificationOutcome outcome =
          verify(
              policy,
              stores(StoreType.CA, "pinned", new X509Certificate[] {pinned}),
              online,
              format,
              envelope);
      assertPassed(outcome);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void pinnedSelfSignedLeafIsTrusted(Format format) throws Exception {
    TestPki.Issued self =
        TestPki.leaf("CN=Self Signed,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(KeyType.EC_P256))
            .selfSigned();
    VerificationOutcome outcome =
        verify(
            doc(STRICT, "\"ca:pinned\"", "\"*\""),
            stores(StoreType.CA, "pinned", new X509Certificate[] {self.certificate()}),
            online,
            format,
            new Sig().by(self).envelope(format));
    assertPassed(outcome);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void chainWithoutAPinnedCertificateFailsAuthenticity(Format format) throws Exception {
    byte[] envelope = new Sig().envelope(format);
    TrustStore other =
        stores(StoreType.CA, "other", new X509Certificate[] {otherRoot.certificate()});
    String message = "the signature's certificate chain does not contain any trusted certificate";
    for (String level : List.of(STRICT, PERMISSIVE)) {
      VerificationOutcome outcome =
          verify(doc(level, "\"ca:other\"", "\"*\""), other, online, format, envelope);
      assertFailed(outcome, Check.AUTHENTICITY, message);
      assertThat(outcome.reason()).isEqualTo(message);
    }
    assertWarned(
        verify(doc(AUDIT, "\"ca:other\"", "\"*\""), other, online, format, envelope),
        Check.AUTHENTICITY,
        message);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void storeLoadingErrorFailsAuthenticity(Format format) throws Exception {
    VerificationOutcome outcome =
        verify(
            doc(STRICT, "\"ca:missing\"", "\"*\""),
            rootStores(),
            online,
            format,
            new Sig().envelope(format));
    assertFailed(outcome, Check.AUTHENTICITY, "error while loading the trust store, ");
  }

  // ---------------------------------------------------------------- trusted identity

  @ParameterizedTest
  @EnumSource(Format.class)
  void trustedIdentityMatchesASubsetOfTheLeafSubject(Format format) throws Exception {
    assertPassed(
        verify(
            doc(STRICT, "\"ca:roots\"", "\"x509.subject:CN=Verifier Leaf,O=Signet,ST=WA,C=US\""),
            format,
            new Sig()));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void otherIdentityFailsTrustedIdentity(Format format) throws Exception {
    String ids = "\"x509.subject:CN=Someone Else,O=Signet,ST=WA,C=US\"";
    String message =
        "signing certificate from the digital signature does not match the X.509 trusted identities"
            + " [map[\"C\":\"US\" \"CN\":\"Someone Else\" \"O\":\"Signet\" \"ST\":\"WA\"]] defined"
            + " in the trust policy \"statement\"";
    for (String level : List.of(STRICT, PERMISSIVE)) {
      VerificationOutcome outcome = verify(doc(level, "\"ca:roots\"", ids), format, new Sig());
      assertFailed(outcome, Check.TRUSTED_IDENTITY, message);
      assertThat(outcome.reason()).isEqualTo(message);
    }
    assertWarned(
        verify(doc(AUDIT, "\"ca:roots\"", ids), format, new Sig()),
        Check.TRUSTED_IDENTITY,
        message);
  }

  // ---------------------------------------------------------------- expiry

  @ParameterizedTest
  @EnumSource(Format.class)
  void expiryInTheFuturePasses(Format format) throws Exception {
    Sig sig = new Sig();
    sig.expiry = NOW.plusSeconds(1);
    assertPassed(verify(STRICT, format, sig));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void expiredSignatureFailsAtStrictAndWarnsAtPermissive(Format format) throws Exception {
    for (Instant expiry : List.of(Instant.parse("2025-02-01T00:00:00Z"), NOW)) {
      Sig sig = new Sig();
      sig.expiry = expiry;
      String message = "digital signature has expired on \"" + rfc1123(expiry.toString()) + "\"";
      VerificationOutcome strict = verify(STRICT, format, sig);
      assertFailed(strict, Check.EXPIRY, message);
      assertThat(strict.reason()).isEqualTo(message);
      assertWarned(verify(PERMISSIVE, format, sig), Check.EXPIRY, message);
    }
  }

  // ---------------------------------------------------------------- authentic timestamp

  private static TestPki.Issued leafValid(String from, String to) {
    return TestPki.leaf(LEAF_DN)
        .keyPair(TestPki.sharedKey(KeyType.EC_P256))
        .validity(Instant.parse(from), Instant.parse(to))
        .issuedBy(intermediate);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void signingAuthorityTimeWithinChainValidityPasses(Format format) throws Exception {
    // The chain has expired by now; the signingAuthority scheme only needs the authentic time.
    TestPki.Issued expired = leafValid("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    Sig sig = new Sig().by(expired, intermediate.certificate(), root.certificate());
    sig.scheme = SigningScheme.X509_SIGNING_AUTHORITY;
    VerificationOutcome outcome = verify(STRICT, format, sig);
    assertPassed(outcome);
    assertThat(outcome.content().authenticSigningTime()).isEqualTo(SIGNED_AT);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void signingAuthorityTimeOutsideChainValidityFails(Format format) throws Exception {
    TestPki.Issued later = leafValid("2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    Sig sig = new Sig().by(later, intermediate.certificate(), root.certificate());
    sig.scheme = SigningScheme.X509_SIGNING_AUTHORITY;
    String message =
        "certificate \""
            + LEAF_DN
            + "\" was not valid when the digital signature was produced at \""
            + rfc1123(SIGNED_AT.toString())
            + "\"";
    VerificationOutcome outcome = verify(STRICT, format, sig);
    assertFailed(outcome, Check.AUTHENTIC_TIMESTAMP, message);
    assertThat(outcome.reason()).isEqualTo(message);
    assertWarned(verify(AUDIT, format, sig), Check.AUTHENTIC_TIMESTAMP, message);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void expiredChainWithoutTsaStoreFails(Format format) throws Exception {
    TestPki.Issued expired = leafValid("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    Sig sig = new Sig().by(expired, intermediate.certificate(), root.certificate());
    VerificationOutcome outcome = verify(STRICT, format, sig);
    assertFailed(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "verification time is after certificate \""
            + LEAF_DN
            + "\" validity period, it was expired at \"Wed, 01 Jan 2025 00:00:00 +0000\"");
    assertThat(outcome.reason()).contains("add a tsa: trust store");
    // Permissive only logs an authentic-timestamp failure; audit too.
    for (String level : List.of(PERMISSIVE, AUDIT)) {
      assertWarned(
          verify(level, format, sig), Check.AUTHENTIC_TIMESTAMP, "verification time is after");
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void notYetValidChainFails(Format format) throws Exception {
    TestPki.Issued future = leafValid("2027-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    Sig sig = new Sig().by(future, intermediate.certificate(), root.certificate());
    assertFailed(
        verify(STRICT, format, sig),
        Check.AUTHENTIC_TIMESTAMP,
        "verification time is before certificate \""
            + LEAF_DN
            + "\" validity period, it will be valid from \"Fri, 01 Jan 2027 00:00:00 +0000\"");
  }

  private static TrustPolicyDocument withTsa(String verification) throws Exception {
    return doc(verification, "\"ca:roots\",\"tsa:tsa\"", "\"*\"");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void expiredChainWithValidTimestampPasses(Format format) throws Exception {
    TestPki.Issued expired = leafValid("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    Sig sig = new Sig().by(expired, intermediate.certificate(), root.certificate());
    sig.timestamp = tsaToken("20240102030405.25Z");
    for (String verifyTimestamp : List.of("always", "afterCertExpiry")) {
      VerificationOutcome outcome =
          verify(
              withTsa("{\"level\":\"strict\",\"verifyTimestamp\":\"" + verifyTimestamp + "\"}"),
              format,
              sig);
      assertPassed(outcome);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void timestampOutsideChainValidityFails(Format format) throws Exception {
    TestPki.Issued expired = leafValid("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    Sig after = new Sig().by(expired, intermediate.certificate(), root.certificate());
    after.timestamp = tsaToken("20250601000000Z");
    assertFailed(
        verify(withTsa(STRICT), format, after),
        Check.AUTHENTIC_TIMESTAMP,
        "timestamp can be after certificate \""
            + LEAF_DN
            + "\" validity period, it was expired at \"Wed, 01 Jan 2025 00:00:00 +0000\"");

    Sig before = new Sig().by(expired, intermediate.certificate(), root.certificate());
    before.timestamp = tsaToken("20221231000000Z");
    assertFailed(
        verify(withTsa(STRICT), format, before),
        Check.AUTHENTIC_TIMESTAMP,
        "timestamp can be before certificate \""
            + LEAF_DN
            + "\" validity period, it will be valid from \"Sun, 01 Jan 2023 00:00:00 +0000\"");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void timestampAccuracyCountsAgainstTheChainValidity(Format format) throws Exception {
    // The leaf expires at 2025-01-01T00:00:00Z and the token's accuracy is 1 s.
    TestPki.Issued expired = leafValid("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    Sig edge = new Sig().by(expired, intermediate.certificate(), root.certificate());
    edge.timestamp = tsaToken("20241231235959Z");
    assertPassed(verify(withTsa(STRICT), format, edge));

    Sig over = new Sig().by(expired, intermediate.certificate(), root.certificate());
    over.timestamp = tsaToken("20241231235959.5Z");
    assertFailed(
        verify(withTsa(STRICT), format, over),
        Check.AUTHENTIC_TIMESTAMP,
        "timestamp can be after certificate \"" + LEAF_DN + "\"");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void onlyTheSigningAuthoritySchemePassesItsSigningTimeToRevocation(Format format)
      throws Exception {
    for (SigningScheme scheme : SigningScheme.values()) {
      List<Instant> times = new CopyOnWriteArrayList<>();
      List<Purpose> purposes = new CopyOnWriteArrayList<>();
      RevocationChecker recording =
          (chain, purpose, signingTime, deadline) -> {
            purposes.add(purpose);
            times.add(signingTime == null ? Instant.EPOCH : signingTime);
            assertThat(chain)
                .containsExactly(
                    leaf.certificate(), intermediate.certificate(), root.certificate());
            return chain.stream()
                .map(c -> new CertificateStatus(c, RevocationStatus.GOOD, "test"))
                .toList();
          };
      Sig sig = new Sig();
      sig.scheme = scheme;
      assertPassed(verify(doc(STRICT), rootStores(), recording, format, sig.envelope(format)));
      assertThat(purposes).containsExactly(Purpose.CODE_SIGNING);
      assertThat(times)
          .containsExactly(
              scheme == SigningScheme.X509_SIGNING_AUTHORITY ? SIGNED_AT : Instant.EPOCH);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void missingTimestampFailsWhenATsaStoreIsListed(Format format) throws Exception {
    assertFailed(
        verify(withTsa(STRICT), format, new Sig()),
        Check.AUTHENTIC_TIMESTAMP,
        "no timestamp countersignature was found in the signature envelope");
    // afterCertExpiry with an unexpired chain does not look for one.
    assertPassed(
        verify(
            withTsa("{\"level\":\"strict\",\"verifyTimestamp\":\"afterCertExpiry\"}"),
            format,
            new Sig()));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void tsaStoreProblemsFailAuthenticTimestamp(Format format) throws Exception {
    TestPki.Issued expired = leafValid("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    Sig sig = new Sig().by(expired, intermediate.certificate(), root.certificate());
    sig.timestamp = tsaToken("20240102030405.25Z");
    byte[] envelope = sig.envelope(format);
    X509Certificate[] none = new X509Certificate[0];
    TrustStore emptyTsa =
        stores(
            StoreType.CA,
            "roots",
            new X509Certificate[] {root.certificate()},
            StoreType.TSA,
            "tsa",
            none);
    assertFailed(
        verify(withTsa(STRICT), emptyTsa, online, format, envelope),
        Check.AUTHENTIC_TIMESTAMP,
        "no trusted TSA certificate found in trust store");
    TrustStore otherTsa =
        stores(
            StoreType.CA,
            "roots",
            new X509Certificate[] {root.certificate()},
            StoreType.TSA,
            "tsa",
            new X509Certificate[] {otherRoot.certificate()});
    assertFailed(
        verify(withTsa(STRICT), otherTsa, online, format, envelope),
        Check.AUTHENTIC_TIMESTAMP,
        "failed to verify the timestamp countersignature with error: ");
    TrustStore noTsa = stores(StoreType.CA, "roots", new X509Certificate[] {root.certificate()});
    assertFailed(
        verify(withTsa(STRICT), noTsa, online, format, envelope),
        Check.AUTHENTIC_TIMESTAMP,
        "failed to load tsa trust store with error: ");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void revokedTsaCertificateFailsAuthenticTimestamp(Format format) throws Exception {
    TestPki.Issued expired = leafValid("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    Sig sig = new Sig().by(expired, intermediate.certificate(), root.certificate());
    sig.timestamp = tsaToken("20240102030405.25Z");
    List<Purpose> asked = new CopyOnWriteArrayList<>();
    RevocationChecker tsaRevoked =
        (chain, purpose, signingTime, deadline) -> {
          asked.add(purpose);
          return chain.stream()
              .map(
                  c ->
                      new CertificateStatus(
                          c,
                          purpose == Purpose.TIMESTAMPING && c.equals(tsa.leaf.certificate())
                              ? RevocationStatus.REVOKED
                              : RevocationStatus.GOOD,
                          "test"))
              .toList();
        };
    VerificationOutcome outcome =
        verify(
            withTsa("{\"level\":\"strict\",\"override\":{\"revocation\":\"skip\"}}"),
            rootStores(),
            tsaRevoked,
            format,
            sig.envelope(format));
    assertFailed(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "timestamping certificate with subject \"CN=Test TSA,O=Signet,C=US\" is revoked");
    assertThat(asked).containsExactly(Purpose.TIMESTAMPING);
  }

  // ---------------------------------------------------------------- revocation (local CRL)

  private static byte[] crlRevoking(TestPki.Issued issuer, X509Certificate... revoked) {
    TestCrl crl =
        new TestCrl(issuer.certificate(), issuer.privateKey(), NOW)
            .updates(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(7)));
    for (X509Certificate c : revoked) {
      crl.revoke(
          c.getSerialNumber(), Instant.parse("2025-01-01T00:00:00Z"), CRLReason.keyCompromise, null, null);
    }
    return crl.build();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void revocationThroughALocalCrl(Format format) throws Exception {
    try (LocalHttpServer server = new LocalHttpServer();
        OnlineRevocationChecker checker = OnlineRevocationChecker.builder().clock(CLOCK).build()) {
      TestPki.Issued revoked =
          TestPki.leaf(LEAF_DN)
              .keyPair(TestPki.sharedKey(KeyType.EC_P256))
              .crl(server.url("/ca.crl"))
              .issuedBy(intermediate);
      TestPki.Issued good =
          TestPki.leaf(LEAF_DN)
              .keyPair(TestPki.sharedKey(KeyType.EC_P256))
              .crl(server.url("/ca.crl"))
              .issuedBy(intermediate);
      server.serve("/ca.crl", crlRevoking(intermediate, revoked.certificate()));
      byte[] revokedEnvelope =
          new Sig().by(revoked, intermediate.certificate(), root.certificate()).envelope(format);

      // Not revoked: the CRL is fetched and the check passes.
      VerificationOutcome ok =
          verify(
              doc(STRICT),
              rootStores(),
              checker,
              format,
              new Sig().by(good, intermediate.certificate(), root.certificate()).envelope(format));
      assertPassed(ok);
      assertThat(ok.result(Check.REVOCATION).orElseThrow().passed()).isTrue();
      assertThat(server.requests()).isPositive();

      String message = "signing certificate with subject \"" + LEAF_DN + "\" is revoked";
      VerificationOutcome strict =
          verify(doc(STRICT), rootStores(), checker, format, revokedEnvelope);
      assertFailed(strict, Check.REVOCATION, message);
      // The deciding certificate is the leaf, not another certificate with the same subject.
      assertThat(GoNameFormat.format(strict.content().leaf().getSubjectX500Principal()))
          .isEqualTo(LEAF_DN);

      assertWarned(
          verify(doc(PERMISSIVE), rootStores(), checker, format, revokedEnvelope),
          Check.REVOCATION,
          message);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void skippedRevocationDoesNotFetch(Format format) throws Exception {
    try (LocalHttpServer server = new LocalHttpServer();
        OnlineRevocationChecker checker = OnlineRevocationChecker.builder().clock(CLOCK).build()) {
      TestPki.Issued revoked =
          TestPki.leaf(LEAF_DN)
              .keyPair(TestPki.sharedKey(KeyType.EC_P256))
              .crl(server.url("/ca.crl"))
              .issuedBy(intermediate);
      server.serve("/ca.crl", crlRevoking(intermediate, revoked.certificate()));
      VerificationOutcome outcome =
          verify(
              doc("{\"level\":\"strict\",\"override\":{\"revocation\":\"skip\"}}"),
              rootStores(),
              checker,
              format,
              new Sig()
                  .by(revoked, intermediate.certificate(), root.certificate())
                  .envelope(format));
      assertPassed(outcome);
      assertThat(outcome.result(Check.REVOCATION)).isEmpty();
      assertThat(server.requests()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void unreachableCrlIsUnknownAndFailsAtStrict(Format format) throws Exception {
    LocalHttpServer server = new LocalHttpServer();
    String url = server.url("/ca.crl");
    server.close(); // nothing listens there any more
    TestPki.Issued unreachable =
        TestPki.leaf(LEAF_DN)
            .keyPair(TestPki.sharedKey(KeyType.EC_P256))
            .crl(url)
            .issuedBy(intermediate);
    VerificationOutcome outcome =
        verify(
            doc(STRICT),
            rootStores(),
            online,
            format,
            new Sig()
                .by(unreachable, intermediate.certificate(), root.certificate())
                .envelope(format));
    assertFailed(
        outcome,
        Check.REVOCATION,
        "signing certificate with subject \"" + LEAF_DN + "\" revocation status is unknown");
  }

  // ---------------------------------------------------------------- payload target

  @ParameterizedTest
  @EnumSource(Format.class)
  void payloadTargetMismatchFailsIntegrityAtEveryLevel(Format format) throws Exception {
    List<Descriptor> others =
        List.of(
            new Descriptor(
                TARGET.mediaType(),
                Digest.sha256("another".getBytes(StandardCharsets.UTF_8)),
                1234),
            new Descriptor(TARGET.mediaType(), TARGET.digest(), 1235),
            new Descriptor(MediaTypes.OCI_MANIFEST, TARGET.digest(), 1234));
    for (Descriptor signed : others) {
      Sig sig = new Sig();
      sig.target = signed;
      byte[] envelope = sig.envelope(format);
      for (String level : List.of(STRICT, PERMISSIVE, AUDIT)) {
        VerificationOutcome outcome = verify(doc(level), rootStores(), online, format, envelope);
        assertFailed(
            outcome, Check.INTEGRITY, "content descriptor mismatch: the signature is for ");
        CheckResult last = outcome.results().get(outcome.results().size() - 1);
        assertThat(last.action()).isEqualTo(ValidationAction.ENFORCE);
        assertThat(outcome.results().get(0).passed()).isTrue();
      }
    }
  }

  // ---------------------------------------------------------------- policy

  @Test
  void skipLevelPassesWithoutParsing() throws Exception {
    TrustPolicyDocument skip = doc("{\"level\":\"skip\"}", "", "");
    for (Format format : Format.values()) {
      VerificationOutcome outcome =
          verify(
              skip,
              rootStores(),
              online,
              format,
              "not an envelope at all".getBytes(StandardCharsets.UTF_8));
      assertThat(outcome.verified()).isTrue();
      assertThat(outcome.skipped()).isTrue();
      assertThat(outcome.results()).isEmpty();
      assertThat(outcome.content()).isNull();
      assertThat(outcome.statement()).isEqualTo("statement");
    }
  }

  @Test
  void noApplicableStatementFailsWithoutACheck() throws Exception {
    TrustPolicyDocument other =
        policy("other", "registry.example/other", STRICT, "\"ca:roots\"", "\"*\"");
    VerificationOutcome outcome =
        verify(other, rootStores(), online, Format.JWS, new Sig().envelope(Format.JWS));
    assertThat(outcome.verified()).isFalse();
    assertThat(outcome.failedCheck()).isNull();
    assertThat(outcome.statement()).isNull();
    assertThat(outcome.results()).isEmpty();
    assertThat(outcome.reason())
        .isEqualTo(
            "artifact \""
                + REF
                + "\" has no applicable oci trust policy statement. Trust policy applicability for"
                + " a given artifact is determined by registryScopes. To create a trust policy,"
                + " see: https://notaryproject.dev/docs/quickstart/#create-a-trust-policy");
  }
}
