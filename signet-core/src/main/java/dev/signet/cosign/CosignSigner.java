// cosign's key-based signature format ("cosign sign --key", no transparency log): an OCI image
// manifest tagged sha256-<hex>.sig beside the image, one layer of media type
// application/vnd.dev.cosign.simplesigning.v1+json holding the simple-signing payload, and the
// base64 signature over that payload in the layer's dev.cosignproject.cosign/signature annotation.
package dev.signet.cosign;

import dev.signet.json.StrictJson;
import dev.signet.oci.MediaTypes;
import dev.signet.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signs an image as cosign does with a key, for the demo and tests: nothing is logged, so a
 * verifier trusts it with {@code tLogVerify: false}.
 */
public final class CosignSigner {
  private static final byte[] CONFIG =
      "{\"architecture\":\"\",\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
          .getBytes(StandardCharsets.UTF_8);

  private CosignSigner() {}

  /**
   * A signature manifest and the two blobs it names.
   *
   * @param tag the tag cosign gives it, {@code sha256-<hex>.sig} of the signed image
   */
  public record SignatureManifest(String tag, byte[] config, byte[] payload, byte[] manifest) {
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  }

  /**
   * Signs {@code image} with the scheme cosign uses for the key: ECDSA P-256, P-384, P-521 with
   * SHA-256, SHA-384, SHA-512; RSA (2048 bits or more) PKCS#1 v1.5 with SHA-256; Ed25519.
   */
  public static SignatureManifest sign(PrivateKey key, String dockerReference, Digest image)
      throws GeneralSecurityException {
    byte[] payload = simpleSigning(dockerReference, image);
    return manifest(image, payload, signature(key, payload));
  }

  /** cosign's simple-signing payload naming the image's digest. */
  public static byte[] simpleSigning(String dockerReference, Digest image) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", image.toString());
    critical.put("type", "cosign container image signature");
    root.putNull("optional");
    return StrictJson.MAPPER.writeValueAsBytes(root);
  }

  /** The signature of {@code payload} with {@code key}. */
  public static byte[] signature(PrivateKey key, byte[] payload) throws GeneralSecurityException {
    String algorithm = Signatures.algorithm(key);
    if (algorithm == null) {
      throw new GeneralSecurityException("cosign signatures are made with ECDSA (P-256, P-384,"
          + " P-521), RSA (2048 bits or more) or Ed25519 keys, not this " + key.getAlgorithm()
          + " key");
    }
    Signature s = Signature.getInstance(algorithm);
    s.initSign(key);
    s.update(payload);
    return s.sign();
  }

  /** The {@code .sig} manifest of {@code image} carrying {@code payload} and its signature. */
  public static SignatureManifest manifest(Digest image, byte[] payload, byte[] signature) {
    ObjectNode manifest = StrictJson.MAPPER.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    descriptor(manifest.putObject("config"), SignatureManifest.CONFIG_MEDIA_TYPE, CONFIG);
    ObjectNode layer = manifest.putArray("layers").addObject();
    descriptor(layer, CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE, payload);
    layer.putObject("annotations").put(
        CosignSignature.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signature));
    return new SignatureManifest(tag(image), CONFIG.clone(), payload.clone(),
        StrictJson.MAPPER.writeValueAsBytes(manifest));
  }

  /** The tag cosign puts the signature manifest of {@code image} under. */
  public static String tag(Digest image) {
    return image.algorithm() + "-" + image.hex() + ".sig";
  }

  private static void descriptor(ObjectNode node, String mediaType, byte[] content) {
    node.put("mediaType", mediaType)
        .put("digest", Digest.sha256(content).toString())
        .put("size", content.length);
  }
}
