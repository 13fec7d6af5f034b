package dev.signet.kubernetes.kmp;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What a key management provider fetched: certificates (trust anchors for notation verifiers), public
 * keys, and the properties its status shows ({@code status.properties}).
 */
public record KeyMaterial(
    List<X509Certificate> certificates, List<PublicKey> keys, Map<String, Object> properties) {
  public KeyMaterial {
    certificates = List.copyOf(certificates);
    keys = List.copyOf(keys);
    properties = Map.copyOf(properties);
  }
}
