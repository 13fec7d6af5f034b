package dev.signet.cli.demo;

import dev.signet.cosign.CosignSigner;
import dev.signet.cosign.PublicKeys;
import dev.signet.oci.Descriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The demo's cosign signer: a fresh ECDSA P-256 key pair, as {@code cosign generate-key-pair} makes,
 * signing images in cosign's format ({@code cosign sign --key}, no transparency log).
 */
final class DemoCosignSigner {
  private final KeyPair key;

  private DemoCosignSigner(KeyPair key) {
    this.key = key;
  }

  static DemoCosignSigner generate() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return new DemoCosignSigner(g.generateKeyPair());
  }

  /** The public key, PEM, as {@code cosign.pub}. */
  String publicKeyPem() {
    return PublicKeys.pem(key.getPublic());
  }

  /** Signs the image of repository {@code name} into the layout. */
  void sign(DemoLayout layout, String name, Descriptor image)
      throws GeneralSecurityException, IOException {
    layout.cosignSignature(name, CosignSigner.sign(key.getPrivate(), name, image.digest()));
  }

  /**
   * Signs the image, then edits the signed payload (it claims another repository), as an attacker
   * who changed a signature without the key would.
   */
  void signThenTamper(DemoLayout layout, String name, Descriptor image)
      throws GeneralSecurityException, IOException {
    byte[] payload = CosignSigner.simpleSigning(name, image.digest());
    byte[] signature = CosignSigner.signature(key.getPrivate(), payload);
    byte[] edited = new String(payload, StandardCharsets.UTF_8)
        .replace(name, name + "-edited")
        .getBytes(StandardCharsets.UTF_8);
    layout.cosignSignature(name, CosignSigner.manifest(image.digest(), edited, signature));
  }
}
