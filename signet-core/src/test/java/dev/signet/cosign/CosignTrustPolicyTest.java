package dev.signet.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each rule of cosign verification, both ways, on signatures made with the test instance. */
class CosignTrustPolicyTest {
  private final SigstoreFixture sigstore = new SigstoreFixture();
  private final Digest image = Digest.sha256("image manifest".getBytes(StandardCharsets.UTF_8));
  private final KeyPair key = SigstoreFixture.ec();

  private CosignTrustPolicy keyed(boolean tlog, KeyPair... keys) {
    return new CosignTrustPolicy("default", List.of("*"),
        java.util.Arrays.stream(keys)
            .map(k -> new CosignTrustPolicy.TrustedKey("test", k.getPublic())).toList(),
        null, tlog);
  }

  private CosignTrustPolicy keyless(String identity, String issuer, boolean ct) {
    return new CosignTrustPolicy("keyless", List.of("*"), List.of(),
        new KeylessIdentity(identity, null, issuer, null, ct), true);
  }

  private CosignSignature sigSigned(KeyPair signer, byte[] payload, Map<String, String> extra)
      throws CosignException {
    byte[] sig = SigstoreFixture.sign(signer.getPrivate(), payload);
    var annotations = new java.util.HashMap<>(extra);
    annotations.put(CosignSignature.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(sig));
    return CosignSignature.fromSimpleSigningLayer("sha256:layer", payload, annotations);
  }

  private byte[] payload() {
    return SigstoreFixture.simpleSigning("registry.example/app", image.toString());
  }

  private CosignTrustPolicy.Verified verify(CosignTrustPolicy policy, CosignSignature sig)
      throws CosignException {
    return policy.verify(sig, image, () -> {
      throw new CosignException("not a message signature", "");
    }, sigstore.trustedRoot(), Instant.now());
  }

  @Test
  void keyedSignatureVerifiesWithItsKeyOnly() throws Exception {
    CosignSignature sig = sigSigned(key, payload(), Map.of());
    assertThat(verify(keyed(false, key), sig).signer()).isEqualTo("key test");
    assertThat(verify(keyed(false, SigstoreFixture.ec(), key), sig).signer()).isEqualTo("key test");
    assertThatThrownBy(() -> verify(keyed(false, SigstoreFixture.ec()), sig))
        .hasMessageContaining("does not verify with any key of trust policy \"default\"");
  }

  @Test
  void tamperedPayloadOrAnotherImageFails() throws Exception {
    byte[] payload = payload();
    byte[] sig = SigstoreFixture.sign(key.getPrivate(), payload);
    byte[] tampered = new String(payload, StandardCharsets.UTF_8)
        .replace("registry.example/app", "registry.example/evil").getBytes(StandardCharsets.UTF_8);
    CosignSignature altered = CosignSignature.fromSimpleSigningLayer("l", tampered,
        Map.of(CosignSignature.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(sig)));
    assertThatThrownBy(() -> verify(keyed(false, key), altered))
        .hasMessageContaining("does not verify");

    byte[] other = SigstoreFixture.simpleSigning("registry.example/app",
        Digest.sha256("other".getBytes(StandardCharsets.UTF_8)).toString());
    assertThatThrownBy(() -> verify(keyed(false, key), sigSigned(key, other, Map.of())))
        .hasMessageContaining("the signature is for image sha256:")
        .hasMessageContaining(", not " + image);
  }

  @Test
  void requiredLogEntryMustBeThereSignedAndAboutThisSignature() throws Exception {
    byte[] payload = payload();
    byte[] sig = SigstoreFixture.sign(key.getPrivate(), payload);
    String b64 = Base64.getEncoder().encodeToString(sig);
    TlogEntry entry = sigstore.logEntry(
        SigstoreFixture.hashedRekord(sig, payload, SigstoreFixture.pem(key.getPublic())),
        Instant.now().minusSeconds(5));
    CosignSignature logged = CosignSignature.fromSimpleSigningLayer("l", payload, Map.of(
        CosignSignature.SIGNATURE_ANNOTATION, b64,
        CosignSignature.BUNDLE_ANNOTATION, SigstoreFixture.rekorBundleAnnotation(entry)));
    assertThat(verify(keyed(true, key), logged).logIndex()).isEqualTo(entry.logIndex());

    CosignSignature unlogged = sigSigned(key, payload, Map.of());
    assertThatThrownBy(() -> verify(keyed(true, key), unlogged))
        .hasMessageContaining("has no transparency log entry");
    assertThat(verify(keyed(false, key), unlogged).logIndex()).isNull();

    // An entry of another signature (the log's own signature on it is genuine).
    byte[] otherSig = SigstoreFixture.sign(key.getPrivate(), "x".getBytes(StandardCharsets.UTF_8));
    TlogEntry foreign = sigstore.logEntry(
        SigstoreFixture.hashedRekord(otherSig, "x".getBytes(StandardCharsets.UTF_8),
            SigstoreFixture.pem(key.getPublic())), Instant.now());
    CosignSignature mismatched = CosignSignature.fromSimpleSigningLayer("l", payload, Map.of(
        CosignSignature.SIGNATURE_ANNOTATION, b64,
        CosignSignature.BUNDLE_ANNOTATION, SigstoreFixture.rekorBundleAnnotation(foreign)));
    assertThatThrownBy(() -> verify(keyed(true, key), mismatched))
        .hasMessageContaining("does not record this signature");

    // A forged signed entry timestamp.
    TlogEntry forged = new TlogEntry(entry.logIndex(), entry.logId(), entry.integratedTime() + 1,
        entry.body(), entry.signedEntryTimestamp(), null);
    CosignSignature badSet = CosignSignature.fromSimpleSigningLayer("l", payload, Map.of(
        CosignSignature.SIGNATURE_ANNOTATION, b64,
        CosignSignature.BUNDLE_ANNOTATION, SigstoreFixture.rekorBundleAnnotation(forged)));
    assertThatThrownBy(() -> verify(keyed(true, key), badSet))
        .hasMessageContaining("signed entry timestamp");

    // A log the trusted root does not hold.
    SigstoreFixture otherInstance = new SigstoreFixture();
    TlogEntry untrustedLog = otherInstance.logEntry(entry.body(), Instant.now());
    CosignSignature untrusted = CosignSignature.fromSimpleSigningLayer("l", payload, Map.of(
        CosignSignature.SIGNATURE_ANNOTATION, b64,
        CosignSignature.BUNDLE_ANNOTATION, SigstoreFixture.rekorBundleAnnotation(untrustedLog)));
    assertThatThrownBy(() -> verify(keyed(true, key), untrusted))
        .hasMessageContaining("which the trusted root does not hold");
  }

  private CosignSignature keylessSig(SigstoreFixture.Signer signer, Instant integrated)
      throws CosignException {
    byte[] payload = payload();
    byte[] sig = SigstoreFixture.sign(signer.key().getPrivate(), payload);
    TlogEntry entry = sigstore.logEntry(
        SigstoreFixture.hashedRekord(sig, payload, SigstoreFixture.pem(signer.certificate())),
        integrated);
    return CosignSignature.fromSimpleSigningLayer("l", payload, Map.of(
        CosignSignature.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(sig),
        CosignSignature.CERTIFICATE_ANNOTATION, SigstoreFixture.pem(signer.certificate()),
        CosignSignature.CHAIN_ANNOTATION, SigstoreFixture.pem(sigstore.ca),
        CosignSignature.BUNDLE_ANNOTATION, SigstoreFixture.rekorBundleAnnotation(entry)));
  }

  @Test
  void keylessChecksIdentityIssuerChainTimeAndTransparency() throws Exception {
    SigstoreFixture.Signer signer =
        sigstore.keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER);
    CosignSignature sig = keylessSig(signer, Instant.now().minusSeconds(10));
    CosignTrustPolicy.Verified v =
        verify(keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER, true), sig);
    assertThat(v.signer()).isEqualTo(SigstoreFixture.IDENTITY);
    assertThat(v.integratedTime()).isNotNull();

    assertThatThrownBy(() ->
        verify(keyless("https://github.example/evil/x", SigstoreFixture.ISSUER, true), sig))
        .hasMessageContaining("identity");
    assertThatThrownBy(() ->
        verify(keyless(SigstoreFixture.IDENTITY, "https://accounts.example.com", true), sig))
        .hasMessageContaining("OIDC issuer \"" + SigstoreFixture.ISSUER + "\" is not");
    CosignTrustPolicy byPattern = new CosignTrustPolicy("p", List.of("*"), List.of(),
        new KeylessIdentity(null, Pattern.compile("https://github\\.example/acme/.*"), null,
            Pattern.compile("https://token\\.actions\\..*"), true), true);
    assertThat(verify(byPattern, sig).signer()).isEqualTo(SigstoreFixture.IDENTITY);
    CosignTrustPolicy partial = new CosignTrustPolicy("p", List.of("*"), List.of(),
        new KeylessIdentity(null, Pattern.compile("acme"), SigstoreFixture.ISSUER, null, true),
        true);
    assertThatThrownBy(() -> verify(partial, sig)).hasMessageContaining("identity");
  }

  @Test
  void keylessCertificateMustBeValidWhenLoggedAndFromTheTrustedAuthority() throws Exception {
    SigstoreFixture.Signer expired = sigstore.keyless(SigstoreFixture.IDENTITY,
        SigstoreFixture.ISSUER, Instant.now().minus(Duration.ofHours(2)), Duration.ofMinutes(10),
        true, sigstore.caKey, sigstore.ca);
    CosignTrustPolicy policy = keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER, true);
    // Logged after the certificate expired: no proof it was signed while valid.
    assertThatThrownBy(() -> verify(policy, keylessSig(expired, Instant.now())))
        .hasMessageContaining("was not valid when the log recorded the signature");
    // Logged while it was valid: still verifies long after expiry.
    assertThat(verify(policy, keylessSig(expired,
        Instant.now().minus(Duration.ofHours(2)).plusSeconds(30))).signer())
        .isEqualTo(SigstoreFixture.IDENTITY);

    SigstoreFixture rogue = new SigstoreFixture();
    SigstoreFixture.Signer untrusted = rogue.keyless(SigstoreFixture.IDENTITY,
        SigstoreFixture.ISSUER, Instant.now().minusSeconds(60), Duration.ofMinutes(10), false,
        rogue.caKey, rogue.ca);
    assertThatThrownBy(() ->
        verify(keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER, false),
            keylessSig(untrusted, Instant.now())))
        .hasMessageContaining("does not chain to certificate authority");
  }

  @Test
  void embeddedCertificateTransparencyTimestampIsRequiredWhenAsked() throws Exception {
    SigstoreFixture.Signer noSct = sigstore.keyless(SigstoreFixture.IDENTITY,
        SigstoreFixture.ISSUER, Instant.now().minusSeconds(60), Duration.ofMinutes(10), false,
        sigstore.caKey, sigstore.ca);
    CosignSignature sig = keylessSig(noSct, Instant.now());
    assertThatThrownBy(() ->
        verify(keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER, true), sig))
        .hasMessageContaining("no embedded certificate transparency timestamp");
    assertThat(verify(keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER, false), sig)
        .signer()).isEqualTo(SigstoreFixture.IDENTITY);

    // An SCT from a CT log the trusted root does not hold.
    SigstoreFixture other = new SigstoreFixture();
    SigstoreFixture.Signer foreignSct = other.keyless(SigstoreFixture.IDENTITY,
        SigstoreFixture.ISSUER, Instant.now().minusSeconds(60), Duration.ofMinutes(10), true,
        sigstore.caKey, sigstore.ca);
    assertThatThrownBy(() ->
        verify(keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER, true),
            keylessSig(foreignSct, Instant.now())))
        .hasMessageContaining("certificate transparency");
  }

  @Test
  void inclusionProofAndCheckpointAreChecked() throws Exception {
    byte[] payload = payload();
    byte[] sig = SigstoreFixture.sign(key.getPrivate(), payload);
    byte[] body = SigstoreFixture.hashedRekord(sig, payload, SigstoreFixture.pem(key.getPublic()));
    for (int size : new int[] {1, 2, 5, 8, 13}) {
      for (int position = 0; position < size; position++) {
        TlogEntry proven = sigstore.provenEntry(body, Instant.now(), position, size);
        assertThat(proven.verify(sigstore.trustedRoot()).log()).isNotNull();
      }
    }
    TlogEntry proven = sigstore.provenEntry(body, Instant.now(), 3, 7);
    List<byte[]> broken = new java.util.ArrayList<>(proven.proof().hashes());
    broken.set(0, new byte[32]);
    TlogEntry tampered = new TlogEntry(proven.logIndex(), proven.logId(),
        proven.integratedTime(), body, proven.signedEntryTimestamp(),
        new TlogEntry.InclusionProof(3, 7, proven.proof().rootHash(), broken,
            proven.proof().checkpoint()));
    assertThatThrownBy(() -> tampered.verify(sigstore.trustedRoot()))
        .hasMessageContaining("does not lead to the root hash");
    TlogEntry wrongCheckpoint = new TlogEntry(proven.logIndex(), proven.logId(),
        proven.integratedTime(), body, proven.signedEntryTimestamp(),
        new TlogEntry.InclusionProof(3, 7, proven.proof().rootHash(), proven.proof().hashes(),
            proven.proof().checkpoint().replace("\n7\n", "\n8\n")));
    assertThatThrownBy(() -> wrongCheckpoint.verify(sigstore.trustedRoot()))
        .hasMessageContaining("checkpoint");
  }

  @Test
  void scopesPreferTheMostSpecificMatch() {
    CosignTrustPolicy global = new CosignTrustPolicy("g", List.of("*"), List.of(), null, false);
    CosignTrustPolicy prefix =
        new CosignTrustPolicy("p", List.of("registry.example/team/*"), List.of(), null, false);
    CosignTrustPolicy exact =
        new CosignTrustPolicy("e", List.of("registry.example/team/app"), List.of(), null, false);
    assertThat(exact.match("registry.example/team/app"))
        .isGreaterThan(prefix.match("registry.example/team/app"));
    assertThat(prefix.match("registry.example/team/app")).isGreaterThan(global.match("x/y"));
    assertThat(prefix.match("registry.example/other/app")).isNegative();
    assertThat(exact.match("registry.example/team/app2")).isNegative();
  }
}
