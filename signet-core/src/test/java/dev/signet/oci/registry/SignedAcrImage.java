package dev.signet.oci.registry;

import dev.signet.cloud.azure.AzureFixture;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.reference.Reference;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.testkit.TestPki;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The reference Azure setup's image: {@code net-monitor:v1} pushed to a registry with token
 * authentication behind the ACR stand-in, with a Notary signature by {@code wabbit-networks.io},
 * a leaf under its own root.
 *
 * @param subject the image by digest, as admission sees it
 */
public record SignedAcrImage(String subject, TestPki.Issued leaf, TestPki.Issued root) {
  public static final String SIGNER = "CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US";

  public static SignedAcrImage push(AzureFixture azure, DistributionRegistry registry)
      throws Exception {
    TestPki.Issued root =
        TestPki.root("CN=Wabbit Networks Root,O=Signet").keyType(TestPki.KeyType.EC_P256).selfSigned();
    TestPki.Issued leaf = TestPki.leaf(SIGNER).keyType(TestPki.KeyType.EC_P256).issuedBy(root);
    try (RegistryPusher pusher = RegistryPusher.of(RegistryClient.create(
        RegistryOptions.defaults().withCaFile(azure.caFile()),
        r -> new Credential.Basic(AzureFixture.PUSHER, AzureFixture.PUSHER_PASSWORD),
        Clock.systemUTC()))) {
      Reference image = Reference.parse(registry.host() + "/net-monitor:v1");
      Descriptor pushed = pusher.image(image, "net-monitor v1");
      byte[] envelope = JwsTestSigner.of(leaf, root.certificate())
          .signingTime(Instant.now().minus(Duration.ofMinutes(1)))
          .payloadDescriptor(pushed.mediaType(), pushed.digest().toString(), pushed.size())
          .sign().bytes();
      pusher.attach(image, pushed, MediaTypes.NOTARY_SIGNATURE, MediaTypes.JWS_ENVELOPE, envelope);
      return new SignedAcrImage(registry.host() + "/net-monitor@" + pushed.digest(), leaf, root);
    }
  }

  /** The chain as the reference setup imports it into Key Vault: the private key, leaf and root. */
  public String keyVaultPem() throws Exception {
    return AzureFixture.pem("PRIVATE KEY", leaf.privateKey().getEncoded())
        + AzureFixture.pem("CERTIFICATE", leaf.certificate().getEncoded())
        + AzureFixture.pem("CERTIFICATE", root.certificate().getEncoded());
  }
}
