package dev.signet.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.StrictJson;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.SigstoreNodeModules;
import dev.signet.result.VerifierReport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cosign verifier on signatures attached to an image: cosign's {@code .sig} format built from
 * its documented layout, and Sigstore bundles made by npm's {@code @sigstore/sign} 3.1.0 (a client
 * nobody here wrote) with a key and with a certificate from the test CA, logged in a Rekor-shaped
 * test log.
 */
class CosignVerifierTest {
  private static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  @TempDir Path dir;
  private final SigstoreFixture sigstore = new SigstoreFixture();
  private final SignedImageStore store = new SignedImageStore();

  private CosignVerifier verifier(CosignTrustPolicy... policies) throws CosignException {
    return new CosignVerifier("verifier-cosign",
        Set.of(CosignVerifier.SIGNATURE_ARTIFACT_TYPE, BUNDLE_TYPE), Set.of(),
        List.of(policies), sigstore.trustedRoot(), Clock.systemUTC());
  }

  private VerifierReport verify(CosignVerifier v, dev.signet.oci.Descriptor referrer)
      throws Exception {
    return v.verify(store.subject, store.descriptor, referrer, store,
        Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30)));
  }

  private static CosignTrustPolicy keyed(String scope, KeyPair key, boolean tlog) {
    return new CosignTrustPolicy("keyed", List.of(scope),
        List.of(new CosignTrustPolicy.TrustedKey("test", key.getPublic())), null, tlog);
  }

  @Test
  void sigManifestPassesWhenOneSignatureVerifiesAndReportsEach() throws Exception {
    KeyPair ours = SigstoreFixture.ec();
    KeyPair theirs = SigstoreFixture.ec();
    byte[] payload = SigstoreFixture.simpleSigning("registry.example/team/app",
        store.digest.toString());
    var referrer = store.attach(CosignVerifier.SIGNATURE_ARTIFACT_TYPE,
        layer(theirs, payload), layer(ours, payload));

    VerifierReport ok = verify(verifier(keyed("registry.example/team/*", ours, false)), referrer);
    assertThat(ok.isSuccess()).as(ok.errorReason()).isTrue();
    assertThat(ok.verifierType()).isEqualTo("cosign");
    assertThat(ok.extensions().get("trustPolicy")).isEqualTo("keyed");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sigs = (List<Map<String, Object>>) ok.extensions().get("signatures");
    assertThat(sigs).extracting(s -> s.get("isSuccess")).containsExactly(false, true);

    VerifierReport denied =
        verify(verifier(keyed("*", SigstoreFixture.ec(), false)), referrer);
    assertThat(denied.isSuccess()).isFalse();
    assertThat(denied.errorReason()).contains("does not verify with any key");

    VerifierReport outOfScope =
        verify(verifier(keyed("registry.example/other/*", ours, false)), referrer);
    assertThat(outOfScope.isSuccess()).isFalse();
    assertThat(outOfScope.errorReason())
        .isEqualTo("no cosign trust policy covers registry.example/team/app");
  }

  private static SignedImageStore.Layer layer(KeyPair key, byte[] payload) {
    return new SignedImageStore.Layer(CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE, payload,
        Map.of(CosignSignature.SIGNATURE_ANNOTATION,
            Base64.getEncoder().encodeToString(SigstoreFixture.sign(key.getPrivate(), payload))));
  }

  @Test
  void keyedBundlesFromSigstoreJsVerify() throws Exception {
    KeyPair key = SigstoreFixture.ec();
    try (FakeRekor rekor = new FakeRekor(sigstore)) {
      byte[] message = sign(key, null, rekor.url(), "message");
      JsonNode parsed = StrictJson.parseObject(message, 1 << 20, "bundle");
      assertThat(parsed.path("mediaType").asString()).isIn(CosignSignature.BUNDLE_MEDIA_TYPES);
      assertThat(parsed.path("verificationMaterial").has("publicKey")).isTrue();
      var referrer = store.attach(BUNDLE_TYPE,
          new SignedImageStore.Layer(BUNDLE_TYPE, message, Map.of()));
      VerifierReport ok = verify(verifier(keyed("*", key, true)), referrer);
      assertThat(ok.isSuccess()).as(ok.errorReason()).isTrue();
      assertThat(verify(verifier(keyed("*", SigstoreFixture.ec(), true)), referrer).isSuccess())
          .isFalse();

      byte[] dsse = sign(key, null, rekor.url(), "dsse");
      var dsseReferrer = store.attach(BUNDLE_TYPE,
          new SignedImageStore.Layer(BUNDLE_TYPE, dsse, Map.of()));
      VerifierReport dsseOk = verify(verifier(keyed("*", key, true)), dsseReferrer);
      assertThat(dsseOk.isSuccess()).as(dsseOk.errorReason()).isTrue();

      // A bundle whose signature was altered after signing.
      String tampered = new String(message, StandardCharsets.UTF_8);
      String sig = parsed.path("messageSignature").path("signature").asString();
      byte[] raw = Base64.getDecoder().decode(sig);
      raw[raw.length - 1] ^= 1;
      tampered = tampered.replace(sig, Base64.getEncoder().encodeToString(raw));
      var bad = store.attach(BUNDLE_TYPE, new SignedImageStore.Layer(BUNDLE_TYPE,
          tampered.getBytes(StandardCharsets.UTF_8), Map.of()));
      assertThat(verify(verifier(keyed("*", key, true)), bad).isSuccess()).isFalse();
      assertThat(rekor.requests.get()).isEqualTo(2);
    }
  }

  @Test
  void keylessBundleFromSigstoreJsVerifiesForTheConfiguredIdentityOnly() throws Exception {
    SigstoreFixture.Signer signer =
        sigstore.keyless(SigstoreFixture.IDENTITY, SigstoreFixture.ISSUER);
    try (FakeRekor rekor = new FakeRekor(sigstore)) {
      byte[] bundle = sign(signer.key(), SigstoreFixture.pem(signer.certificate()), rekor.url(),
          "message");
      var referrer = store.attach(BUNDLE_TYPE,
          new SignedImageStore.Layer(BUNDLE_TYPE, bundle, Map.of()));
      CosignTrustPolicy trusted = new CosignTrustPolicy("ci", List.of("*"), List.of(),
          new KeylessIdentity(SigstoreFixture.IDENTITY, null, SigstoreFixture.ISSUER, null, true),
          true);
      VerifierReport ok = verify(verifier(trusted), referrer);
      assertThat(ok.isSuccess()).as(ok.errorReason()).isTrue();
      CosignTrustPolicy other = new CosignTrustPolicy("ci", List.of("*"), List.of(),
          new KeylessIdentity("https://github.example/evil/x", null, SigstoreFixture.ISSUER, null,
              true), true);
      VerifierReport denied = verify(verifier(other), referrer);
      assertThat(denied.isSuccess()).isFalse();
      assertThat(denied.errorReason()).contains("identity");

      // Without a log entry there is no proof of when a keyless signature was made.
      byte[] unlogged = sign(signer.key(), SigstoreFixture.pem(signer.certificate()), null,
          "message");
      var unloggedReferrer = store.attach(BUNDLE_TYPE,
          new SignedImageStore.Layer(BUNDLE_TYPE, unlogged, Map.of()));
      VerifierReport noLog = verify(verifier(trusted), unloggedReferrer);
      assertThat(noLog.isSuccess()).isFalse();
      assertThat(noLog.errorReason()).contains("transparency log entry");
    }
  }

  @Test
  void anExpiredCertificateVerifiesWithATimestampFromATrustedAuthorityOnly() throws Exception {
    Instant now = Instant.now();
    // A ten-minute certificate that expired twenty minutes ago.
    SigstoreFixture.Signer signer = sigstore.keyless(SigstoreFixture.IDENTITY,
        SigstoreFixture.ISSUER, now.minus(Duration.ofMinutes(30)), Duration.ofMinutes(10), true,
        sigstore.caKey, sigstore.ca);
    String certificate = SigstoreFixture.pem(signer.certificate());
    CosignTrustPolicy policy = new CosignTrustPolicy("ci", List.of("*"), List.of(),
        new KeylessIdentity(SigstoreFixture.IDENTITY, null, SigstoreFixture.ISSUER, null, true),
        false);
    try (FakeRekor tsa = new FakeRekor(sigstore)) {
      tsa.timestampTime = now.minus(Duration.ofMinutes(25)).truncatedTo(ChronoUnit.SECONDS);
      var timely = store.attach(BUNDLE_TYPE, new SignedImageStore.Layer(BUNDLE_TYPE,
          sign(signer.key(), certificate, null, tsa.url(), "message"), Map.of()));
      VerifierReport ok = verify(verifier(policy), timely);
      assertThat(ok.isSuccess()).as(ok.errorReason()).isTrue();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> sigs =
          (List<Map<String, Object>>) ok.extensions().get("signatures");
      assertThat(sigs.get(0).get("timestamp")).isEqualTo(tsa.timestampTime.toString());

      var untimed = store.attach(BUNDLE_TYPE, new SignedImageStore.Layer(BUNDLE_TYPE,
          sign(signer.key(), certificate, null, null, "message"), Map.of()));
      VerifierReport noTime = verify(verifier(policy), untimed);
      assertThat(noTime.isSuccess()).isFalse();
      assertThat(noTime.errorReason()).contains("nothing proves when the keyless signature");

      tsa.timestampTime = now;
      var late = store.attach(BUNDLE_TYPE, new SignedImageStore.Layer(BUNDLE_TYPE,
          sign(signer.key(), certificate, null, tsa.url(), "message"), Map.of()));
      VerifierReport expired = verify(verifier(policy), late);
      assertThat(expired.isSuccess()).isFalse();
      assertThat(expired.errorReason()).contains("the signing certificate was not valid at ");

      // The same timely bundle against a trusted root naming another timestamp authority.
      CosignVerifier foreign = new CosignVerifier("verifier-cosign", Set.of(BUNDLE_TYPE),
          Set.of(), List.of(policy), new SigstoreFixture().trustedRoot(), Clock.systemUTC());
      VerifierReport untrusted = verify(foreign, timely);
      assertThat(untrusted.isSuccess()).isFalse();
      assertThat(untrusted.errorReason())
          .contains("the RFC 3161 timestamp does not verify with timestamp authority");
      assertThat(tsa.timestamps.get()).isEqualTo(2);
    }
  }

  @Test
  void aBundleWithoutItsLogEntryVerifiesWhenRekorUrlFindsItOnline() throws Exception {
    KeyPair key = SigstoreFixture.ec();
    try (FakeRekor rekor = new FakeRekor(sigstore)) {
      // Logged at signing time, then the entry is left out of the bundle.
      ObjectNode bundle = (ObjectNode) StrictJson.parseObject(
          sign(key, null, rekor.url(), "message"), 1 << 20, "bundle");
      ((ObjectNode) bundle.path("verificationMaterial")).putArray("tlogEntries");
      var referrer = store.attach(BUNDLE_TYPE, new SignedImageStore.Layer(BUNDLE_TYPE,
          StrictJson.MAPPER.writeValueAsBytes(bundle), Map.of()));
      var trusted = List.of(new CosignTrustPolicy.TrustedKey("test", key.getPublic()));

      VerifierReport offline = verify(verifier(
          new CosignTrustPolicy("keyed", List.of("*"), trusted, null, true)), referrer);
      assertThat(offline.isSuccess()).isFalse();
      assertThat(offline.errorReason()).contains("has no transparency log entry");
      assertThat(rekor.searches.get()).isZero();

      RekorSearch online = new RekorSearch(URI.create(rekor.url()),
          CloudHttp.create(null, Clock.systemUTC()));
      VerifierReport ok = verify(verifier(
          new CosignTrustPolicy("keyed", List.of("*"), trusted, null, true, online)), referrer);
      assertThat(ok.isSuccess()).as(ok.errorReason()).isTrue();
      assertThat(rekor.searches.get()).isEqualTo(1);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> sigs =
          (List<Map<String, Object>>) ok.extensions().get("signatures");
      assertThat(sigs.get(0)).containsKey("tlogIndex");

      // Another key's unlogged signature over the same manifest: the log's entry for that content
      // records the first signature, not this one.
      KeyPair other = SigstoreFixture.ec();
      byte[] unlogged = sign(other, null, null, "message");
      var unloggedReferrer = store.attach(BUNDLE_TYPE,
          new SignedImageStore.Layer(BUNDLE_TYPE, unlogged, Map.of()));
      VerifierReport none = verify(verifier(new CosignTrustPolicy("keyed", List.of("*"),
          List.of(new CosignTrustPolicy.TrustedKey("other", other.getPublic())), null, true,
          online)), unloggedReferrer);
      assertThat(none.isSuccess()).isFalse();
      assertThat(none.errorReason()).contains("does not record this signature");
    }
  }

  @Test
  void aRekorThatHangsEndsInTheDeadlineNeverAnAllow() throws Exception {
    KeyPair key = SigstoreFixture.ec();
    byte[] payload = SigstoreFixture.simpleSigning("registry.example/team/app",
        store.digest.toString());
    var referrer = store.attach(CosignVerifier.SIGNATURE_ARTIFACT_TYPE, layer(key, payload));
    LocalHttpServer hanging = new LocalHttpServer();
    hanging.slow("*");
    try {
      RekorSearch online = new RekorSearch(
          URI.create(hanging.url("")),
          CloudHttp.create(null, Clock.systemUTC()));
      CosignVerifier v = verifier(new CosignTrustPolicy("keyed", List.of("*"),
          List.of(new CosignTrustPolicy.TrustedKey("test", key.getPublic())), null, true, online));
      assertThatThrownBy(() -> v.verify(store.subject, store.descriptor, referrer, store,
              Deadline.after(Clock.systemUTC(), Duration.ofSeconds(2))))
          .isInstanceOf(DeadlineExceededException.class);
    } finally {
      hanging.close();
    }
  }

  /** Runs npm's @sigstore/sign over the image manifest (or an in-toto statement naming it). */
  private byte[] sign(KeyPair key, String certificatePem, String rekorUrl, String mode)
      throws Exception {
    return sign(key, certificatePem, rekorUrl, null, mode);
  }

  private byte[] sign(KeyPair key, String certificatePem, String rekorUrl, String tsaUrl,
      String mode) throws Exception {
    Path modules = SigstoreNodeModules.path();
    Path artifact = Files.write(dir.resolve("manifest.json"), store.manifest);
    Path statement = Files.writeString(dir.resolve("statement.json"),
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\""
            + "registry.example/team/app\",\"digest\":{\"sha256\":\"" + store.digest.hex()
            + "\"}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}");
    String keyPem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    var input = StrictJson.MAPPER.createObjectNode()
        .put("artifact", artifact.toString()).put("statement", statement.toString())
        .put("mode", mode).put("key", keyPem);
    if (certificatePem != null) {
      input.put("certificate", certificatePem);
    }
    if (rekorUrl != null) {
      input.put("rekor", rekorUrl);
    }
    if (tsaUrl != null) {
      input.put("tsa", tsaUrl);
    }
    Path in = Files.write(dir.resolve("input.json"), StrictJson.MAPPER.writeValueAsBytes(input));
    Path script = Path.of(getClass().getResource("/sigstore/sign-bundle.js").toURI());
    Path out = dir.resolve("bundle-" + System.nanoTime() + ".json");
    Path err = dir.resolve("node.log");
    ProcessBuilder pb = new ProcessBuilder("node", script.toString(), in.toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("NODE_PATH", modules.toString());
    Process node = pb.start();
    if (!node.waitFor(120, TimeUnit.SECONDS)) {
      node.toHandle().destroyForcibly();
      throw new AssertionError("node did not finish within 120 s");
    }
    assertThat(node.exitValue()).as(Files.readString(err)).isZero();
    return Files.readAllBytes(out);
  }
}
