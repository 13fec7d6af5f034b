package dev.signet.cli.demo;

// Notary Project JWS signature envelope (signature-envelope-jws.md): flattened JWS JSON, ES256,
// protected header with the critical signingScheme, payload {"targetArtifact": descriptor},
// certificate chain in the unprotected x5c header.

import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Signs a manifest descriptor with an EC P-256 identity, as {@code notation sign} would. */
final class JwsSigner {
  private final DemoPki.Identity signer;
  private final List<X509Certificate> chain;

  /**
   * @param chain leaf first, root last
   */
  JwsSigner(DemoPki.Identity signer, List<X509Certificate> chain) {
    this.signer = signer;
    this.chain = List.copyOf(chain);
  }

  /** The JWS envelope for {@code target}, signed at {@code signingTime}. */
  byte[] sign(Descriptor target, Instant signingTime) throws GeneralSecurityException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "ES256");
    header.put("crit", List.of("io.cncf.notary.signingScheme"));
    header.put("cty", "application/vnd.cncf.notary.payload.v1+json");
    header.put("io.cncf.notary.signingScheme", "notary.x509");
    header.put(
        "io.cncf.notary.signingTime", signingTime.truncatedTo(ChronoUnit.SECONDS).toString());
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", target.mediaType());
    descriptor.put("digest", target.digest().toString());
    descriptor.put("size", target.size());
    String protectedText = base64Url(StrictJson.MAPPER.writeValueAsBytes(header));
    String payloadText =
        base64Url(StrictJson.MAPPER.writeValueAsBytes(Map.of("targetArtifact", descriptor)));

    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initSign(signer.privateKey());
    es256.update((protectedText + "." + payloadText).getBytes(StandardCharsets.US_ASCII));

    List<String> x5c = new ArrayList<>();
    for (X509Certificate c : chain) {
      x5c.add(Base64.getEncoder().encodeToString(c.getEncoded()));
    }
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("payload", payloadText);
    envelope.put("protected", protectedText);
    envelope.put("header", Map.of("x5c", x5c, "io.cncf.notary.signingAgent", "signet-demo"));
    envelope.put("signature", base64Url(es256.sign()));
    return StrictJson.MAPPER.writeValueAsBytes(envelope);
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
