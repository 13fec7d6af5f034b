package dev.signet.notation;

// The notation-go envelopes and timestamp vectors (vectors MANIFEST.md, "notation-go: signature
// envelopes" and "notation-go: timestamp vectors") through the whole checklist §8 workflow.

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.deadline.Deadline;
import dev.signet.notation.envelope.EnvelopeContent;
import dev.signet.notation.envelope.SignatureEnvelope;
import dev.signet.notation.revocation.CertificateStatus;
import dev.signet.notation.revocation.OnlineRevocationChecker;
import dev.signet.notation.x509.Purpose;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.notation.revocation.RevocationStatus;
import dev.signet.notation.timestamp.Rfc3161TimestampVerifier;
import dev.signet.notation.timestamp.TimestampException;
import dev.signet.notation.timestamp.TimestampVerifier;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.notation.trustpolicy.ValidationAction;
import dev.signet.notation.truststore.DirectoryTrustStore;
import dev.signet.notation.truststore.StoreType;
import dev.signet.notation.truststore.TrustStore;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.notation.x509.GoNameFormat;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotationVerifierVectorsTest {
  private static final String MOCK = "notation-go/internal/mock/testdata/";
  private static final String SIG_ENV = "notation-go/verifier/testdata/timestamp/sigEnv/";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String ROOT_DN = "CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US";
  private static final String DP_IDENTITY = "x509.subject:" + ROOT_DN;
  private static final String DP_STORES =
      "\"ca:valid-trust-store\",\"signingAuthority:valid-trust-store\"";
  private static final String IMAGE_DIGEST =
      "sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e";
  private static final Descriptor IMAGE =
      new Descriptor(MediaTypes.DOCKER_MANIFEST, Digest.parse(IMAGE_DIGEST), 528);
  private static final String IMAGE_REF =
      "registry.acme-rockets.io/software/net-monitor@" + IMAGE_DIGEST;
  private static final String TS_DIGEST =
      "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda";
  private static final Descriptor TS_TARGET =
      new Descriptor(MediaTypes.DOCKER_MANIFEST, Digest.parse(TS_DIGEST), 528);
  private static final String TS_REF = "localhost:5000/net-monitor@" + TS_DIGEST;
  private static final String TSP_STORES = "\"ca:valid-trust-store\",\"tsa:test-timestamp\"";
  private static final String JWS = MediaTypes.JWS_ENVELOPE;
  private static final String COSE = MediaTypes.COSE_ENVELOPE;
  private static final TimestampVerifier RFC3161 =
      new Rfc3161TimestampVerifier(CertificateChains::validateTimestamping);

  private static OnlineRevocationChecker online;

  @BeforeAll
  static void startChecker() {
    online = OnlineRevocationChecker.builder().clock(CLOCK).build();
  }

  @AfterAll
  static void closeChecker() {
    online.close();
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] read(String relative) throws Exception {
    return Files.readAllBytes(Vectors.notary(relative));
  }

  private static TrustStore stores() {
    return new DirectoryTrustStore(Vectors.notary("notation-go/verifier/testdata"));
  }

  private static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** One statement as JSON; {@code verification} is the signatureVerification object. */
  static TrustPolicyDocument policy(
      String name, String scope, String verification, String stores, String identities)
      throws Exception {
    String json =
        "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\""
            + name
            + "\",\"registryScopes\":[\""
            + scope
            + "\"],\"signatureVerification\":"
            + verification
            + ",\"trustStores\":["
            + stores
            + "],\"trustedIdentities\":["
            + identities
            + "]}]}";
    return TrustPolicyDocument.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static TrustPolicyDocument dp(String level, String stores, String identity)
      throws Exception {
    return policy(
        "test-statement-name",
        "registry.acme-rockets.io/software/net-monitor",
        "{\"level\":\"" + level + "\"}",
        stores,
        "\"" + identity + "\"");
  }

  private static TrustPolicyDocument dp(String level) throws Exception {
    return dp(level, DP_STORES, DP_IDENTITY);
  }

  private static TrustPolicyDocument tsp(String verification, String stores) throws Exception {
    return policy("test-timestamp", "*", verification, stores, "\"*\"");
  }

  private static TrustPolicyDocument tsp() throws Exception {
    return tsp("{\"level\":\"strict\",\"verifyTimestamp\":\"always\"}", TSP_STORES);
  }

  private static VerificationOutcome verifyMock(TrustPolicyDocument policy, String file)
      throws Exception {
    NotationVerifier verifier = new NotationVerifier(policy, stores(), RFC3161, online, CLOCK);
    return verifier.verify(IMAGE, IMAGE_REF, JWS, read(MOCK + file), deadline());
  }

  private static List<Check> checks(VerificationOutcome outcome) {
    return outcome.results().stream().map(CheckResult::check).toList();
  }

  private static void assertAllPassed(VerificationOutcome outcome) {
    assertThat(outcome.verified()).as("%s", outcome).isTrue();
    assertThat(outcome.failedCheck()).isNull();
    assertThat(outcome.reason()).isNull();
    assertThat(outcome.warnings()).isEmpty();
    assertThat(outcome.results()).allMatch(CheckResult::passed);
  }

  private static void assertFailed(VerificationOutcome outcome, Check check, String reason) {
    assertThat(outcome.verified()).as("%s", outcome).isFalse();
    assertThat(outcome.failedCheck()).isEqualTo(check);
    assertThat(outcome.reason()).isEqualTo(reason);
  }

  private static void assertFailedContaining(
      VerificationOutcome outcome, Check check, String... parts) {
    assertThat(outcome.verified()).as("%s", outcome).isFalse();
    assertThat(outcome.failedCheck()).isEqualTo(check);
    assertThat(outcome.reason()).contains(parts);
  }

  private static void assertWarning(VerificationOutcome outcome, Check check, String message) {
    assertThat(outcome.verified()).as("%s", outcome).isTrue();
    assertThat(outcome.failedCheck()).isNull();
    assertThat(outcome.warnings())
        .anySatisfy(
            w -> {
              assertThat(w.check()).isEqualTo(check);
              assertThat(w.action()).isEqualTo(ValidationAction.LOG);
              assertThat(w.failure()).isEqualTo(message);
            });
  }

  // ---------------------------------------------------------------- signature envelopes

  @Test
  void mockCertificatesCarryNoRevocationLocationsSoTheyAreNonRevokable() throws Exception {
    for (String file : List.of("ca_valid_sig_env.json", "sa_valid_sig_env.json")) {
      EnvelopeContent content = SignatureEnvelope.verify(JWS, read(MOCK + file));
      for (X509Certificate c : content.certificateChain()) {
        assertThat(c.getExtensionValue("1.3.6.1.5.5.7.1.1")).as("AIA").isNull();
        assertThat(c.getExtensionValue("2.5.29.31")).as("CRL DP").isNull();
      }
      List<CertificateStatus> statuses =
          online.check(content.certificateChain(), Purpose.CODE_SIGNING, null, deadline());
      assertThat(statuses)
          .hasSize(2)
          .allSatisfy(s -> assertThat(s.status()).isEqualTo(RevocationStatus.NON_REVOKABLE));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"strict", "permissive", "audit"})
  void validEnvelopesPassEveryCheckAtEveryLevel(String level) throws Exception {
    for (String file : List.of("ca_valid_sig_env.json", "sa_valid_sig_env.json")) {
      VerificationOutcome outcome = verifyMock(dp(level), file);
      assertAllPassed(outcome);
      assertThat(outcome.statement()).isEqualTo("test-statement-name");
      assertThat(outcome.content()).isNotNull();
      assertThat(checks(outcome))
          .containsExactly(
              Check.INTEGRITY,
              Check.AUTHENTICITY,
              Check.TRUSTED_IDENTITY,
              Check.EXPIRY,
              Check.AUTHENTIC_TIMESTAMP,
              Check.REVOCATION,
              Check.INTEGRITY);
    }
  }

  @Test
  void signingAuthorityEnvelopeIsAnchoredOnlyBySigningAuthorityStores() throws Exception {
    assertAllPassed(
        verifyMock(
            dp("strict", "\"signingAuthority:valid-trust-store\"", DP_IDENTITY),
            "sa_valid_sig_env.json"));
    assertFailedContaining(
        verifyMock(dp("strict", "\"ca:valid-trust-store\"", DP_IDENTITY), "sa_valid_sig_env.json"),
        Check.AUTHENTICITY,
        "no trusted certificates are found to verify authenticity");
    // And the other way round: a ca store never anchors the signingAuthority scheme.
    assertFailedContaining(
        verifyMock(
            dp("strict", "\"signingAuthority:valid-trust-store\"", DP_IDENTITY),
            "ca_valid_sig_env.json"),
        Check.AUTHENTICITY,
        "no trusted certificates are found to verify authenticity");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ca_valid_sig_env.json", "sa_valid_sig_env.json"})
  void storesWithoutTheRootFailAuthenticityUnlessAudit(String file) throws Exception {
    String stores = "\"ca:valid-trust-store-2\",\"signingAuthority:valid-trust-store-2\"";
    String message = "the signature's certificate chain does not contain any trusted certificate";
    for (String level : List.of("strict", "permissive")) {
      VerificationOutcome outcome = verifyMock(dp(level, stores, DP_IDENTITY), file);
      assertFailed(outcome, Check.AUTHENTICITY, message);
      assertThat(checks(outcome)).containsExactly(Check.INTEGRITY, Check.AUTHENTICITY);
    }
    VerificationOutcome audit = verifyMock(dp("audit", stores, DP_IDENTITY), file);
    assertWarning(audit, Check.AUTHENTICITY, message);
    assertThat(audit.warnings()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ca_valid_sig_env.json", "sa_valid_sig_env.json"})
  void untrustedIdentityFailsUnlessAudit(String file) throws Exception {
    String identity = "x509.subject:CN=LOL,O=DummyOrg,L=Hyderabad,ST=TG,C=IN";
    String message =
        "signing certificate from the digital signature does not match the X.509 trusted"
            + " identities [map[\"C\":\"IN\" \"CN\":\"LOL\" \"L\":\"Hyderabad\" \"O\":\"DummyOrg\""
            + " \"ST\":\"TG\"]] defined in the trust policy \"test-statement-name\"";
    for (String level : List.of("strict", "permissive")) {
      assertFailed(
          verifyMock(dp(level, DP_STORES, identity), file), Check.TRUSTED_IDENTITY, message);
    }
    VerificationOutcome audit = verifyMock(dp("audit", DP_STORES, identity), file);
    assertWarning(audit, Check.TRUSTED_IDENTITY, message);
    assertThat(audit.warnings()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"strict", "permissive", "audit"})
  void paddedPayloadFailsIntegrityAtEveryLevel(String level) throws Exception {
    for (String file : List.of("ca_invalid_sig_env.json", "sa_invalid_sig_env.json")) {
      VerificationOutcome outcome = verifyMock(dp(level), file);
      assertFailedContaining(
          outcome,
          Check.INTEGRITY,
          "unable to parse the digital signature, error : signature is invalid. Error: illegal"
              + " base64 data at input byte 242");
      assertThat(outcome.content()).isNull();
      assertThat(checks(outcome)).containsExactly(Check.INTEGRITY);
    }
  }

  @Test
  void unsupportedEnvelopeMediaTypeFailsIntegrity() throws Exception {
    NotationVerifier verifier = new NotationVerifier(dp("audit"), stores(), RFC3161, online, CLOCK);
    VerificationOutcome outcome =
        verifier.verify(
            IMAGE,
            IMAGE_REF,
            "application/unsupported+json",
            read(MOCK + "ca_valid_sig_env.json"),
            deadline());
    assertFailedContaining(
        outcome,
        Check.INTEGRITY,
        "unable to parse the digital signature, error : signature envelope format with media type"
            + " \"application/unsupported+json\" is not supported");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ca_expired_sig_env.json", "sa_expired_sig_env.json"})
  void expiredEnvelopesFailAtStrictAndWarnOtherwise(String file) throws Exception {
    String message = "digital signature has expired on \"Fri, 29 Jul 2022 23:59:00 +0000\"";
    VerificationOutcome strict = verifyMock(dp("strict"), file);
    assertFailed(strict, Check.EXPIRY, message);
    assertThat(checks(strict))
        .containsExactly(Check.INTEGRITY, Check.AUTHENTICITY, Check.TRUSTED_IDENTITY, Check.EXPIRY);
    for (String level : List.of("permissive", "audit")) {
      VerificationOutcome outcome = verifyMock(dp(level), file);
      assertWarning(outcome, Check.EXPIRY, message);
      assertThat(outcome.warnings()).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"strict", "permissive", "audit"})
  void pluginEnvelopesFailIntegrityBecausePluginsAreNotSupported(String level) throws Exception {
    for (String file : List.of("ca_plugin_sig_env.json", "sa_plugin_sig_env.json")) {
      VerificationOutcome outcome = verifyMock(dp(level), file);
      assertFailedContaining(
          outcome,
          Check.INTEGRITY,
          "the signature requires the verification plugin \"plugin-name\"",
          "verification plugins are not supported");
      assertThat(checks(outcome)).containsExactly(Check.INTEGRITY);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ca_compatible_pluginver_sig_env_0.0.9.json",
        "ca_compatible_pluginver_sig_env_1.0.0-alpha.json",
        "ca_compatible_pluginver_sig_env_1.0.0-alpha.beta.json",
        "ca_compatible_pluginver_sig_env_1.0.0.json",
        "ca_incompatible_pluginver_sig_env_1.0.1.json",
        "ca_incompatible_pluginver_sig_env_1.0.9.json",
        "ca_incompatible_pluginver_sig_env_1.1.0-alpha.json",
        "ca_incompatible_pluginver_sig_env_1.2.3.json"
      })
  void pluginVersionEnvelopesAllFailIntegrity(String file) throws Exception {
    String digest = "sha256:fe7e9333395060c2f5e63cf36a38fba10176f183b4163a5794e081a480abba5f";
    TrustPolicyDocument policy =
        policy(
            "test-statement-name",
            "localhost:5000/net-monitor",
            "{\"level\":\"audit\"}",
            "\"ca:valid-trust-store\"",
            "\"x509.subject: CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US\"");
    NotationVerifier verifier = new NotationVerifier(policy, stores(), RFC3161, online, CLOCK);
    VerificationOutcome outcome =
        verifier.verify(
            new Descriptor(MediaTypes.DOCKER_MANIFEST, Digest.parse(digest), 942),
            "localhost:5000/net-monitor@" + digest,
            JWS,
            read(MOCK + file),
            deadline());
    assertFailedContaining(
        outcome,
        Check.INTEGRITY,
        "the signature requires the verification plugin \"io.cncf.notary.plugin.unittest.mock\"",
        "verification plugins are not supported");
  }

  @Test
  void envelopeWithMetadataPassesAtAuditWithItsFailuresLogged() throws Exception {
    String digest = "sha256:5a07385af4e6b6af81b0ebfd435aedccdfa3507f0609c658209e1aba57159b2b";
    NotationVerifier verifier = new NotationVerifier(dp("audit"), stores(), RFC3161, online, CLOCK);
    VerificationOutcome outcome =
        verifier.verify(
            new Descriptor(MediaTypes.DOCKER_MANIFEST, Digest.parse(digest), 942),
            "registry.acme-rockets.io/software/net-monitor@" + digest,
            JWS,
            read(MOCK + "sig_env_with_metadata.json"),
            deadline());
    assertThat(outcome.verified()).as("%s", outcome).isTrue();
    assertThat(outcome.warnings())
        .extracting(CheckResult::check)
        .containsExactly(Check.AUTHENTICITY, Check.TRUSTED_IDENTITY, Check.AUTHENTIC_TIMESTAMP);
    assertThat(outcome.result(Check.AUTHENTICITY).orElseThrow().failure())
        .isEqualTo("the signature's certificate chain does not contain any trusted certificate");
    assertThat(outcome.result(Check.TRUSTED_IDENTITY).orElseThrow().failure())
        .startsWith("signing certificate from the digital signature does not match");
    assertThat(outcome.result(Check.AUTHENTIC_TIMESTAMP).orElseThrow().failure())
        .startsWith(
            "verification time is after certificate \"CN=wabbit-networks.io,O=Notary,L=Seattle,"
                + "ST=WA,C=US\" validity period, it was expired at");
    assertThat(outcome.result(Check.REVOCATION).orElseThrow().passed()).isTrue();
    // The payload's annotations are metadata, not part of the descriptor comparison.
    assertThat(new String(outcome.content().payload(), StandardCharsets.UTF_8))
        .contains("\"io.wabbit-networks.buildId\":\"123\"");
    // The same envelope is refused at strict: the leaf is in no store.
    NotationVerifier strict = new NotationVerifier(dp("strict"), stores(), RFC3161, online, CLOCK);
    assertFailed(
        strict.verify(
            new Descriptor(MediaTypes.DOCKER_MANIFEST, Digest.parse(digest), 942),
            "registry.acme-rockets.io/software/net-monitor@" + digest,
            JWS,
            read(MOCK + "sig_env_with_metadata.json"),
            deadline()),
        Check.AUTHENTICITY,
        "the signature's certificate chain does not contain any trusted certificate");
  }

  // ---------------------------------------------------------------- timestamp vectors

  /**
   * The TSA chain of the vectors ends at GlobalSign, whose live OCSP/CRL cannot be reached here:
   * timestamping chains are answered from a local map (GOOD unless told otherwise), while signing
   * chains go to the real online checker (the vector leaves name no OCSP/CRL location).
   */
  private static final class TsaRevocation implements RevocationChecker {
    final Map<String, RevocationStatus> bySubject = new HashMap<>();
    final List<List<X509Certificate>> tsaChains = Collections.synchronizedList(new ArrayList<>());
    final List<List<X509Certificate>> signingChains =
        Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<CertificateStatus> check(
        List<X509Certificate> chain, Purpose purpose, Instant signingTime, Deadline deadline) {
      if (purpose == Purpose.CODE_SIGNING) {
        signingChains.add(chain);
        return online.check(chain, purpose, signingTime, deadline);
      }
      tsaChains.add(chain);
      List<CertificateStatus> out = new ArrayList<>();
      for (X509Certificate c : chain) {
        String dn = GoNameFormat.format(c.getSubjectX500Principal());
        out.add(
            new CertificateStatus(
                c, bySubject.getOrDefault(dn, RevocationStatus.GOOD), "from the test's map"));
      }
      return out;
    }
  }

  private static VerificationOutcome verifyTimestamped(
      TrustPolicyDocument policy, TrustStore store, RevocationChecker revocation, String file)
      throws Exception {
    String mediaType = mediaTypeOf(file);
    return new NotationVerifier(policy, store, RFC3161, revocation, CLOCK)
        .verify(TS_TARGET, TS_REF, mediaType, read(SIG_ENV + file), deadline());
  }

  private static String mediaTypeOf(String file) {
    return file.startsWith("cose") || file.equals("timestampAfterNotAfter.sig") ? COSE : JWS;
  }

  /** The vector store plus a {@code ca:envelope-leaf} store holding the envelope's own leaf. */
  private static TrustStore withLeafOf(String file) throws Exception {
    String mediaType = mediaTypeOf(file);
    X509Certificate leaf = SignatureEnvelope.verify(mediaType, read(SIG_ENV + file)).leaf();
    TrustStore base = stores();
    return (type, name) ->
        type == StoreType.CA && name.equals("envelope-leaf")
            ? List.of(leaf)
            : base.certificates(type, name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jwsWithTimestamp.sig", "coseWithTimestamp.sig"})
  void timestampedEnvelopesPassAuthenticTimestamp(String file) throws Exception {
    TsaRevocation revocation = new TsaRevocation();
    VerificationOutcome outcome = verifyTimestamped(tsp(), stores(), revocation, file);
    assertAllPassed(outcome);
    assertThat(outcome.result(Check.AUTHENTIC_TIMESTAMP).orElseThrow().passed()).isTrue();
    // Step (i) ran on the TSA chain built from the token to the tsa store's GlobalSign root.
    assertThat(revocation.tsaChains).hasSize(1);
    List<X509Certificate> tsaChain = revocation.tsaChains.get(0);
    assertThat(GoNameFormat.format(tsaChain.get(0).getSubjectX500Principal()))
        .contains("Globalsign TSA for Advanced - G4 - 202311");
    assertThat(tsaChain.get(tsaChain.size() - 1))
        .isIn(stores().certificates(StoreType.TSA, "test-timestamp"));
    assertThat(revocation.signingChains).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jwsWithTimestamp.sig", "coseWithTimestamp.sig"})
  void afterCertExpiryWithAnUnexpiredChainSkipsTheTimestamp(String file) throws Exception {
    TsaRevocation revocation = new TsaRevocation();
    TimestampVerifier mustNotRun =
        (token, signature, roots) -> {
          throw new TimestampException("the timestamp must not be verified");
        };
    VerificationOutcome outcome =
        new NotationVerifier(
                tsp("{\"level\":\"strict\",\"verifyTimestamp\":\"afterCertExpiry\"}", TSP_STORES),
                stores(),
                mustNotRun,
                revocation,
                CLOCK)
            .verify(TS_TARGET, TS_REF, mediaTypeOf(file), read(SIG_ENV + file), deadline());
    assertAllPassed(outcome);
    assertThat(revocation.tsaChains).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jwsExpiredWithTimestamp.sig", "coseExpiredWithTimestamp.sig"})
  void expiredChainsPassAuthenticTimestampWithTheirToken(String file) throws Exception {
    // At audit the missing trust anchor is only logged, so the timestamp check is reached.
    VerificationOutcome audit =
        verifyTimestamped(
            tsp("{\"level\":\"audit\",\"verifyTimestamp\":\"always\"}", TSP_STORES),
            stores(),
            new TsaRevocation(),
            file);
    assertThat(audit.verified()).isTrue();
    assertThat(audit.result(Check.AUTHENTIC_TIMESTAMP).orElseThrow().passed()).isTrue();
    assertThat(audit.warnings()).extracting(CheckResult::check).containsExactly(Check.AUTHENTICITY);

    // With the leaf in a ca store, the whole workflow passes at strict.
    assertAllPassed(
        verifyTimestamped(
            tsp(
                "{\"level\":\"strict\",\"verifyTimestamp\":\"always\"}",
                "\"ca:envelope-leaf\",\"tsa:test-timestamp\""),
            withLeafOf(file),
            new TsaRevocation(),
            file));
  }

  @Test
  void expiredChainWithoutTsaStoreFailsOnTheCurrentTime() throws Exception {
    String file = "coseExpiredWithTimestamp.sig";
    VerificationOutcome outcome =
        verifyTimestamped(
            tsp("{\"level\":\"strict\"}", "\"ca:envelope-leaf\""),
            withLeafOf(file),
            new TsaRevocation(),
            file);
    assertFailedContaining(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "verification time is after certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\""
            + " validity period, it was expired at \"Tue, 18 Jun 2024 07:30:31 +0000\"");
  }

  @Test
  void timestampBeforeNotBeforeFails() throws Exception {
    VerificationOutcome outcome =
        verifyTimestamped(tsp(), stores(), new TsaRevocation(), "timestampBeforeNotBefore.sig");
    assertFailed(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "timestamp can be before certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity"
            + " period, it will be valid from \"Fri, 18 Sep 2099 11:54:34 +0000\"");
  }

  @Test
  void timestampAfterNotAfterFails() throws Exception {
    String file = "timestampAfterNotAfter.sig";
    VerificationOutcome outcome =
        verifyTimestamped(
            tsp(
                "{\"level\":\"strict\",\"verifyTimestamp\":\"always\"}",
                "\"ca:envelope-leaf\",\"tsa:test-timestamp\""),
            withLeafOf(file),
            new TsaRevocation(),
            file);
    assertFailed(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "timestamp can be after certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity"
            + " period, it was expired at \"Tue, 18 Sep 2001 11:54:34 +0000\"");
  }

  @Test
  void envelopeWithoutTimestampFails() throws Exception {
    VerificationOutcome outcome =
        verifyTimestamped(tsp(), stores(), new TsaRevocation(), "withoutTimestamp.sig");
    assertFailed(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "no timestamp countersignature was found in the signature envelope");
  }

  @Test
  void tsaStoreWithAnotherRootFailsWithUnknownAuthority() throws Exception {
    TsaRevocation revocation = new TsaRevocation();
    VerificationOutcome outcome =
        verifyTimestamped(
            tsp(
                "{\"level\":\"strict\",\"verifyTimestamp\":\"always\"}",
                "\"ca:valid-trust-store\",\"tsa:test-mismatch\""),
            stores(),
            revocation,
            "coseWithTimestamp.sig");
    assertFailedContaining(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "failed to verify the timestamp countersignature with error: failed to verify signed"
            + " token: ",
        "unknown authority");
    assertThat(revocation.tsaChains).isEmpty();
  }

  @Test
  void missingTsaStoreFailsToLoad() throws Exception {
    VerificationOutcome outcome =
        verifyTimestamped(
            tsp(
                "{\"level\":\"strict\",\"verifyTimestamp\":\"always\"}",
                "\"ca:valid-trust-store\",\"tsa:does-not-exist\""),
            stores(),
            new TsaRevocation(),
            "coseWithTimestamp.sig");
    assertFailed(
        outcome,
        Check.AUTHENTIC_TIMESTAMP,
        "failed to load tsa trust store with error: the trust store \"does-not-exist\" of type"
            + " \"tsa\" does not exist");
  }

  @Test
  void timestampIsIgnoredWithoutTsaStore() throws Exception {
    TsaRevocation revocation = new TsaRevocation();
    assertAllPassed(
        verifyTimestamped(
            tsp("{\"level\":\"strict\"}", "\"ca:valid-trust-store\""),
            stores(),
            revocation,
            "jwsWithTimestamp.sig"));
    assertThat(revocation.tsaChains).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"REVOKED", "UNKNOWN"})
  void tsaChainRevocationFailsAuthenticTimestampEvenWhenRevocationIsSkipped(RevocationStatus status)
      throws Exception {
    String tsaLeaf = tsaLeafSubject();
    String message =
        "timestamping certificate with subject \""
            + tsaLeaf
            + (status == RevocationStatus.REVOKED
                ? "\" is revoked"
                : "\" revocation status is unknown");
    for (String verification :
        List.of(
            "{\"level\":\"strict\"}",
            "{\"level\":\"strict\",\"override\":{\"revocation\":\"skip\"}}")) {
      for (String file : List.of("jwsWithTimestamp.sig", "coseWithTimestamp.sig")) {
        TsaRevocation revocation = new TsaRevocation();
        revocation.bySubject.put(tsaLeaf, status);
        VerificationOutcome outcome =
            verifyTimestamped(tsp(verification, TSP_STORES), stores(), revocation, file);
        assertThat(outcome.failedCheck()).isEqualTo(Check.AUTHENTIC_TIMESTAMP);
        assertThat(outcome.reason()).startsWith(message);
        assertThat(outcome.verified()).isFalse();
        assertThat(revocation.tsaChains).hasSize(1);
        assertThat(revocation.signingChains).isEmpty();
      }
    }
    // At audit the same failure is a warning.
    TsaRevocation revocation = new TsaRevocation();
    revocation.bySubject.put(tsaLeaf, status);
    VerificationOutcome audit =
        verifyTimestamped(
            tsp("{\"level\":\"audit\"}", TSP_STORES), stores(), revocation, "jwsWithTimestamp.sig");
    assertThat(audit.verified()).isTrue();
    assertThat(audit.warnings())
        .extracting(CheckResult::check)
        .containsExactly(Check.AUTHENTIC_TIMESTAMP);
    assertThat(audit.warnings().get(0).failure()).startsWith(message);
  }

  @Test
  void skippedRevocationStillChecksTheTsaChainButNotTheSigningChain() throws Exception {
    TsaRevocation revocation = new TsaRevocation();
    VerificationOutcome outcome =
        verifyTimestamped(
            tsp("{\"level\":\"strict\",\"override\":{\"revocation\":\"skip\"}}", TSP_STORES),
            stores(),
            revocation,
            "jwsWithTimestamp.sig");
    assertAllPassed(outcome);
    assertThat(checks(outcome)).doesNotContain(Check.REVOCATION);
    assertThat(revocation.tsaChains).hasSize(1);
    assertThat(revocation.signingChains).isEmpty();
  }

  private static String tsaLeafSubject() throws Exception {
    TsaRevocation probe = new TsaRevocation();
    verifyTimestamped(tsp(), stores(), probe, "jwsWithTimestamp.sig");
    return GoNameFormat.format(probe.tsaChains.get(0).get(0).getSubjectX500Principal());
  }
}
