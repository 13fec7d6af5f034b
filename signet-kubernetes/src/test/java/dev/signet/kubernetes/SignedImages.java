package dev.signet.kubernetes;

import dev.signet.testing.SignedLayouts;
import dev.signet.testkit.OciLayout;
import dev.signet.testkit.TestPki;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * An OCI layout with three images: signed under CA A, signed under CA B, unsigned; and the PEM of
 * each CA, for inline key management providers.
 */
public final class SignedImages {
  public final Path layout;
  public final String signedByA;
  public final String signedByB;
  public final String unsigned;
  public final String caA;
  public final String caB;

  public SignedImages(Path dir) throws Exception {
    TestPki.Issued rootA = TestPki.root("CN=Tenant A Root,O=Signet,ST=WA,C=US").selfSigned();
    TestPki.Issued rootB = TestPki.root("CN=Tenant B Root,O=Signet,ST=WA,C=US").selfSigned();
    OciLayout l = new OciLayout(dir.resolve("layout"));
    layout = l.dir();
    signedByA = sign(l, "a", TestPki.leaf("CN=Signer A,O=Signet,ST=WA,C=US").issuedBy(rootA), rootA);
    signedByB = sign(l, "b", TestPki.leaf("CN=Signer B,O=Signet,ST=WA,C=US").issuedBy(rootB), rootB);
    OciLayout.Blob unsignedImage = l.image("unsigned");
    l.add(unsignedImage);
    unsigned = "local/app@" + unsignedImage.digest();
    caA = pem(rootA.certificate());
    caB = pem(rootB.certificate());
  }

  private static String sign(OciLayout l, String name, TestPki.Issued leaf, TestPki.Issued root) {
    return "local/app@" + SignedLayouts.signedImage(l, name, leaf, root);
  }

  public static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
