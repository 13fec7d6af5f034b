package dev.signet.cli;

// Issue 3 acceptance through the command line: checklist §8.6 (authentic timestamp) and §10
// (revocation), with a timestamp authority and a CRL distribution point built in the test.

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.json.StrictJson;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testing.SignedLayouts;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.OciLayout;
import dev.signet.testkit.TestCrl;
import dev.signet.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs {@code signet verify} in-process on OCI layouts and configurations written by the test. The
 * command uses the system clock, so "expired" and "current" are relative to now.
 */
class VerifyCommandAcceptanceTest {
  private static final String CA_ROOT_DN = "CN=Acceptance Root,O=Signet,ST=WA,C=US";
  private static final String TSA_ROOT_DN = "CN=Acceptance TSA Root,O=Signet,ST=WA,C=US";
  private static final String EXPIRED_LEAF_DN = "CN=Expired Builder,O=Signet,ST=WA,C=US";
  private static final String LEAF_DN = "CN=Builder,O=Signet,ST=WA,C=US";
  /** Fast key generation; the key type is not what these tests are about. */
  private static final TestPki.KeyType EC = TestPki.KeyType.EC_P256;

  private static final Instant SIGNED_AT = Instant.parse("2024-01-02T03:04:05Z");

  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    JsonNode json() {
      return StrictJson.MAPPER.readTree(out);
    }

    JsonNode report() {
      return json().get("verifierReports").get(0);
    }
  }

  // ---- (a) timestamped signature, signing certificate expired since ----

  @Test
  void expired_certificate_with_a_trusted_timestamp_verifies_only_with_a_tsa_store() throws Exception {
    TestPki.Issued caRoot = TestPki.root(CA_ROOT_DN).keyType(EC).selfSigned();
    TestPki.Issued leaf =
        TestPki.leaf(EXPIRED_LEAF_DN)
            .keyType(EC)
            .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"))
            .issuedBy(caRoot);
    TestPki.Issued tsaRoot = TestPki.root(TSA_ROOT_DN).keyType(EC).selfSigned();
    TestPki.Issued tsa = TestPki.tsaLeaf("CN=Acceptance TSA,O=Signet,C=US").keyType(EC).issuedBy(tsaRoot);

    OciLayout layout = new OciLayout(dir.resolve("layout"));
    OciLayout.Blob image = layout.image("app");
    layout.add(image);
    JwsTestSigner.Envelope unstamped =
        JwsTestSigner.of(leaf, caRoot.certificate())
            .signingTime(SIGNED_AT)
            .payloadDescriptor(image.mediaType(), image.digest(), image.size())
            .sign();
    byte[] token =
        timestampToken(
            tsa, Base64.getUrlDecoder().decode(unstamped.signatureText()), SIGNED_AT.plusSeconds(1));
    layout.add(layout.signature(
        image,
        OciLayout.JWS_ENVELOPE,
        unstamped
            .withHeader(
                h -> {
                  h.put("io.cncf.notary.timestampSignature", Base64.getEncoder().encodeToString(token));
                  return h;
                })
            .bytes()));
    String subject = "local/app@" + image.digest();
    Files.write(dir.resolve("ca-root.der"), caRoot.certificate().getEncoded());
    Files.write(dir.resolve("tsa-root.der"), tsaRoot.certificate().getEncoded());

    Run withTsa = verifyJson(config("withtsa.json", true, "{\"level\":\"strict\"}"), subject);
    assertThat(withTsa.exit()).as(withTsa.toString()).isZero();
    assertThat(withTsa.json().get("isSuccess").asBoolean()).isTrue();
    assertThat(withTsa.report().get("isSuccess").asBoolean()).isTrue();

    Run withoutTsa = verifyJson(config("notsa.json", false, "{\"level\":\"strict\"}"), subject);
    assertThat(withoutTsa.exit()).as(withoutTsa.toString()).isEqualTo(1);
    assertThat(withoutTsa.json().get("isSuccess").asBoolean()).isFalse();
    assertThat(withoutTsa.report().get("extensions").get("failedCheck").asString())
        .isEqualTo("authenticTimestamp");
    assertThat(withoutTsa.report().get("errorReason").asString())
        .contains(
            "verification time is after certificate \""
                + EXPIRED_LEAF_DN
                + "\" validity period, it was expired at \"Wed, 01 Jan 2025 00:00:00 +0000\"")
        .contains("add a tsa: trust store to the trust policy");
  }

  // ---- (b) revocation through a CRL distribution point ----

  @Test
  void a_revoked_leaf_fails_naming_the_certificate_and_an_unrevoked_one_verifies() throws Exception {
    try (LocalHttpServer crls = new LocalHttpServer()) {
      Signed signed = signWithCrl(crls);
      crls.serve("/root.crl", "application/pkix-crl", TestCrl.revoking(signed.root(), signed.leaf().certificate().getSerialNumber()));

      Run revoked = verifyJson(config("strict.json", false, "{\"level\":\"strict\"}"), signed.subject());
      assertThat(revoked.exit()).as(revoked.toString()).isEqualTo(1);
      assertThat(revoked.report().get("extensions").get("failedCheck").asString()).isEqualTo("revocation");
      assertThat(revoked.report().get("errorReason").asString())
          .contains("signing certificate with subject \"" + LEAF_DN + "\" is revoked");

      crls.serve("/root.crl", "application/pkix-crl", TestCrl.revoking(signed.root()));
      Run good = verifyJson(config("strict.json", false, "{\"level\":\"strict\"}"), signed.subject());
      assertThat(good.exit()).as(good.toString()).isZero();
      assertThat(good.json().get("isSuccess").asBoolean()).isTrue();
      assertThat(crls.requests()).isEqualTo(2);
    }
  }

  @Test
  void a_distribution_point_that_is_down_fails_at_strict_and_warns_when_revocation_is_logged()
      throws Exception {
    Signed signed;
    try (LocalHttpServer crls = new LocalHttpServer()) {
      signed = signWithCrl(crls);
    } // stopped: nothing listens on the distribution point's port any more

    Run strict = verifyJson(config("strict.json", false, "{\"level\":\"strict\"}"), signed.subject());
    assertThat(strict.exit()).as(strict.toString()).isEqualTo(1);
    assertThat(strict.report().get("errorReason").asString())
        .contains("signing certificate with subject \"" + LEAF_DN + "\" revocation status is unknown");

    Run logged =
        verifyJson(
            config(
                "logged.json",
                false,
                "{\"level\":\"strict\",\"override\":{\"revocation\":\"log\"}}"),
            signed.subject());
    assertThat(logged.exit()).as(logged.toString()).isZero();
    assertThat(logged.report().get("extensions").get("warnings").toString())
        .contains("revocation status is unknown");
  }

  // ---- (c) text output ----

  @Test
  void text_output_shows_the_subject_the_decision_and_the_reason() throws Exception {
    try (LocalHttpServer crls = new LocalHttpServer()) {
      Signed signed = signWithCrl(crls);
      Path config = config("strict.json", false, "{\"level\":\"strict\"}");

      crls.serve("/root.crl", "application/pkix-crl", TestCrl.revoking(signed.root()));
      Run pass = run("verify", "--config", config.toString(), "--subject", signed.subject());
      assertThat(pass.exit()).as(pass.toString()).isZero();
      assertThat(pass.out())
          .startsWith("VERIFIED  " + signed.subject())
          .contains("ok      signature sha256:")
          .contains("signed by: " + LEAF_DN);

      crls.serve("/root.crl", "application/pkix-crl", TestCrl.revoking(signed.root(), signed.leaf().certificate().getSerialNumber()));
      Run fail = run("verify", "--config", config.toString(), "--subject", signed.subject());
      assertThat(fail.exit()).as(fail.toString()).isEqualTo(1);
      assertThat(fail.out())
          .startsWith("FAILED    " + signed.subject())
          .contains("failed  signature sha256:")
          .contains("reason: signing certificate with subject \"" + LEAF_DN + "\" is revoked")
          .contains("what to do: ");
    }
  }

  @Test
  void a_configuration_error_exits_2_on_stderr() throws Exception {
    Path config = dir.resolve("bad.json");
    Files.writeString(config, "{\"crl\":{\"cache\":{\"enabled\":\"yes\"}}}");
    Run run = run("verify", "--config", config.toString(), "--subject", "local/app@sha256:" + "0".repeat(64));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("crl.cache.enabled must be true or false, found a string");
  }

  // ---- fixtures ----

  record Signed(TestPki.Issued root, TestPki.Issued leaf, String subject) {}

  /** A layout with one image signed by a leaf whose CRL is /root.crl on {@code crls}. */
  private Signed signWithCrl(LocalHttpServer crls) throws Exception {
    TestPki.Issued root = TestPki.root(CA_ROOT_DN).keyType(EC).selfSigned();
    TestPki.Issued leaf = TestPki.leaf(LEAF_DN).keyType(EC).crl(crls.url("/root.crl")).issuedBy(root);
    String image =
        SignedLayouts.signedImage(new OciLayout(dir.resolve("layout")), "app", leaf, root);
    Files.write(dir.resolve("ca-root.der"), root.certificate().getEncoded());
    return new Signed(root, leaf, "local/app@" + image);
  }

  /** An RFC 3161 token from {@code tsa} over {@code signature}, through a request and response. */
  private static byte[] timestampToken(TestPki.Issued tsa, byte[] signature, Instant genTime)
      throws Exception {
    TimeStampTokenGenerator tokens =
        new TimeStampTokenGenerator(
            new JcaSimpleSignerInfoGeneratorBuilder()
                .build("SHA256withECDSA", tsa.privateKey(), tsa.certificate()),
            new JcaDigestCalculatorProviderBuilder()
                .build()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
            new ASN1ObjectIdentifier("1.2.3.4.1"));
    tokens.addCertificates(new JcaCertStore(List.of(tsa.certificate())));
    tokens.setAccuracySeconds(1);
    TimeStampRequestGenerator requests = new TimeStampRequestGenerator();
    requests.setCertReq(true);
    TimeStampRequest request =
        requests.generate(
            TSPAlgorithms.SHA256, MessageDigest.getInstance("SHA-256").digest(signature));
    return new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED)
        .generate(request, BigInteger.valueOf(7), Date.from(genTime))
        .getTimeStampToken()
        .getEncoded();
  }

  /**
   * A Ratify config.json next to the layout: store {@code ca:certs} (ca-root.der), and with {@code
   * tsa} also {@code tsa:tsa-certs} (tsa-root.der), both listed in the one trust policy statement.
   */
  private Path config(String name, boolean tsa, String signatureVerification) throws Exception {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.putObject("store").putArray("plugins").addObject().put("name", "ocilayout").put("path", "layout");
    root.putObject("policy").putObject("plugin").put("name", "configPolicy")
        .putObject("artifactVerificationPolicies").put("application/vnd.cncf.notary.signature", "any");
    ObjectNode notation = root.putObject("verifier").putArray("plugins").addObject();
    notation.put("name", "notation").put("artifactTypes", "application/vnd.cncf.notary.signature");
    ObjectNode stores = notation.putObject("verificationCertStores");
    stores.putObject("ca").putArray("certs").add("ca-root.der");
    if (tsa) {
      stores.putObject("tsa").putArray("tsa-certs").add("tsa-root.der");
    }
    ObjectNode statement =
        notation.putObject("trustPolicyDoc").put("version", "1.0").putArray("trustPolicies").addObject();
    statement.put("name", "acceptance");
    statement.putArray("registryScopes").add("*");
    statement.set("signatureVerification", StrictJson.MAPPER.readTree(signatureVerification));
    ArrayNode trustStores = statement.putArray("trustStores").add("ca:certs");
    if (tsa) {
      trustStores.add("tsa:tsa-certs");
    }
    statement.putArray("trustedIdentities").add("*");
    Path file = dir.resolve(name);
    Files.write(file, StrictJson.MAPPER.writeValueAsBytes(root));
    return file;
  }

  private static Run verifyJson(Path config, String subject) {
    return run("verify", "--config", config.toString(), "--subject", subject, "--output", "json");
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }
}
