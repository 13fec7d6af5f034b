package dev.signet.artifact;

import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.oci.registry.RegistryPusher;
import dev.signet.reference.Reference;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Images in a real registry with what supply-chain policies look at, each attached as an OCI
 * referrer and signed with notation-format JWS signatures: the image's signature, an SBOM (made by
 * npm) with its own signature, a SARIF vulnerability scan (with its creation time) with its own
 * signature. {@link #IMAGES} says what each image has and whether {@link #config} admits it.
 *
 * <p>The configuration is the combined policy of docs/policies.md: signed by the trusted
 * identity, an SBOM without GPL-3.0, a scan younger than 24 hours without a critical finding, the
 * SBOM and the scan signed too.
 */
public final class SupplyChain {
  public static final String SPDX = "application/spdx+json";
  public static final String SARIF = "application/sarif+json";
  public static final String CREATED = "org.opencontainers.image.created";

  /** An image of the fixture: its repository and whether the policy admits it. */
  public record Image(String repository, boolean admitted, String why) {}

  /** Every image pushed, in push order. */
  public static final Map<String, Image> IMAGES = new LinkedHashMap<>();

  static {
    add("compliant", true, "signed; signed SBOM without GPL-3.0; signed fresh scan without critical findings");
    add("critical-cve", false, "the scan has a CRITICAL finding (Trivy's CVE-2021-36159)");
    add("stale-scan", false, "the scan was made 3 days ago (maximumAge 24h)");
    add("gpl-sbom", false, "the SBOM has a GPL-3.0-or-later package that cannot be avoided");
    add("unsigned-sbom", false, "the SBOM has no signature");
    add("unsigned-scan", false, "the scan has no signature (notaryProjectSignatureRequired)");
    add("no-scan", false, "there is no vulnerability scan");
    add("unsigned", false, "the image has no signature");
  }

  private static void add(String name, boolean admitted, String why) {
    IMAGES.put(name, new Image("supply/" + name, admitted, why));
  }

  private SupplyChain() {}

  /** A test resource of signet-core (the npm SBOMs, the SARIF reports). */
  public static byte[] resource(String path) {
    try (InputStream in = SupplyChain.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Pushes every image of {@link #IMAGES} to the registry, tagged {@code v1}, and writes the
   * configuration (trust store, docker config, config.json) into {@code configDir}.
   *
   * @return the config.json to verify with
   */
  public static Path push(DistributionRegistry registry, Path configDir, Instant now) throws Exception {
    TestPki.Issued root = TestPki.root("CN=Supply Chain Root,O=Signet,ST=WA,C=US").selfSigned();
    TestPki.Issued leaf = TestPki.leaf("CN=Supply Chain Signer,O=Signet,ST=WA,C=US").issuedBy(root);
    Path dockerConfig = registry.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD);
    Files.createDirectories(configDir.resolve("certs"));
    Files.writeString(configDir.resolve("certs/root.pem"), "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(root.certificate().getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    Files.copy(dockerConfig, configDir.resolve("docker-config.json"));

    byte[] npmSbom = resource("/dev/signet/sbom/npm/spdx.json");
    byte[] gplSbom = resource("/dev/signet/sbom/written/gpl.spdx.json");
    byte[] cleanScan = resource("/dev/signet/sarif/written-high-only.sarif.json");
    byte[] criticalScan = resource("/dev/signet/sarif/trivy-excerpt.sarif.json");
    String fresh = now.minus(2, ChronoUnit.HOURS).toString();
    String stale = now.minus(3, ChronoUnit.DAYS).toString();

    try (RegistryPusher push = RegistryPusher.withDockerConfig(dockerConfig)) {
      for (Map.Entry<String, Image> e : IMAGES.entrySet()) {
        String name = e.getKey();
        Reference tag = Reference.parse(registry.host() + "/" + e.getValue().repository() + ":v1");
        Descriptor image = push.image(tag, "the " + name + " image");
        if (!name.equals("unsigned")) {
          sign(push, tag, image, leaf, root);
        }
        Descriptor sbom = push.attach(tag, image, SPDX, SPDX, name.equals("gpl-sbom") ? gplSbom : npmSbom);
        if (!name.equals("unsigned-sbom")) {
          sign(push, tag, sbom, leaf, root);
        }
        if (!name.equals("no-scan")) {
          Descriptor scan = push.attach(tag, image, SARIF, SARIF,
              name.equals("critical-cve") ? criticalScan : cleanScan,
              Map.of(CREATED, name.equals("stale-scan") ? stale : fresh));
          if (!name.equals("unsigned-scan")) {
            sign(push, tag, scan, leaf, root);
          }
        }
      }
    }
    Path config = configDir.resolve("config.json");
    Files.writeString(config, config("docker-config.json"));
    return config;
  }

  private static void sign(RegistryPusher push, Reference tag, Descriptor target, TestPki.Issued leaf,
      TestPki.Issued root) throws Exception {
    byte[] envelope = JwsTestSigner.of(leaf, root.certificate())
        .payloadDescriptor(target.mediaType(), target.digest().toString(), target.size())
        .sign()
        .bytes();
    push.attach(tag, target, MediaTypes.NOTARY_SIGNATURE, MediaTypes.JWS_ENVELOPE, envelope);
  }

  /** The combined configuration (Ratify's config.json) with the docker config at {@code dockerConfig}. */
  public static String config(String dockerConfig) {
    String trustPolicy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"supply\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
        + "\"trustedIdentities\":[\"x509.subject: CN=Supply Chain Signer,O=Signet,ST=WA,C=US\"]}]}";
    return """
        {
          "executor": {"verificationRequestTimeout": 60000},
          "store": {"version": "1.0.0", "plugins": [{"name": "oras", "useHttp": true,
            "authProvider": {"name": "dockerConfig", "configPath": "%s"}}]},
          "policy": {"version": "1.0.0", "plugin": {"name": "configPolicy",
            "artifactVerificationPolicies": {
              "application/vnd.cncf.notary.signature": "any",
              "application/spdx+json": "all",
              "application/sarif+json": "all"}}},
          "verifier": {"version": "1.0.0", "plugins": [
            {"name": "verifier-notation", "type": "notation",
             "artifactTypes": "application/vnd.cncf.notary.signature",
             "verificationCerts": ["certs/root.pem"], "trustPolicyDoc": %s},
            {"name": "verifier-sbom", "type": "sbom", "artifactTypes": "application/spdx+json",
             "disallowedLicenses": ["GPL-3.0-only", "GPL-3.0-or-later"],
             "nestedReferences": "application/vnd.cncf.notary.signature"},
            {"name": "verifier-vulnerabilityreport", "type": "vulnerabilityreport",
             "artifactTypes": "application/sarif+json",
             "disallowedSeverities": ["critical"], "maximumAge": "24h",
             "notaryProjectSignatureRequired": true}]}
        }
        """.formatted(dockerConfig, trustPolicy);
  }
}
