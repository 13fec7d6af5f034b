package dev.signet.cosign;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** What a cosign or Sigstore signature signs, and how it names the image it is about. */
public sealed interface SignedContent {
  /** cosign's simple-signing payload (the {@code .sig} format); the signature covers it. */
  record SimpleSigning(byte[] payload) implements SignedContent {}

  /** A bundle's message signature over an artifact whose digest it records (the image manifest). */
  record MessageDigest(String algorithm, byte[] digest) implements SignedContent {}

  /** A DSSE envelope; the signature covers its pre-authentication encoding. */
  record Dsse(String payloadType, byte[] payload) implements SignedContent {
    /** DSSE v1 PAE: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
    public byte[] preAuthenticationEncoding() {
      byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
      byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
          .getBytes(StandardCharsets.UTF_8);
      byte[] out = Arrays.copyOf(head, head.length + payload.length);
      System.arraycopy(payload, 0, out, head.length, payload.length);
      return out;
    }

    public Dsse {
      Objects.requireNonNull(payloadType, "payloadType");
    }
  }
}
