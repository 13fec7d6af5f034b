package dev.signet.testing;

import dev.signet.testkit.OciLayout;
import dev.signet.testkit.TestPki;

/** Images signed into an {@link OciLayout}, the way the Notary Project signs them. */
public final class SignedLayouts {
  private SignedLayouts() {}

  /**
   * Lists an image {@code name} in {@code layout} and a JWS signature of it by {@code leaf}, whose
   * envelope carries {@code leaf}'s certificate and {@code root}'s; returns the image's digest.
   */
  public static String signedImage(
      OciLayout layout, String name, TestPki.Issued leaf, TestPki.Issued root) {
    OciLayout.Blob image = layout.image(name);
    layout.add(image);
    layout.add(
        layout.signature(
            image,
            OciLayout.JWS_ENVELOPE,
            JwsTestSigner.of(leaf, root.certificate())
                .payloadDescriptor(image.mediaType(), image.digest(), image.size())
                .sign()
                .bytes()));
    return image.digest();
  }
}
