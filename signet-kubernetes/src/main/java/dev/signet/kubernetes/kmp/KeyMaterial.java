package dev.signet.kubernetes.kmp;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What a key management provider fetched: certificates (trust anchors for notation verifiers), public
 * keys, and the properties its status shows ({@code status.properties}).
 *
 * @param problem empty when everything configured was fetched; otherwise what is missing or why
 *     this is material kept from an earlier fetch (the status shows it as the error)
 */
public record KeyMaterial(
    List<X509Certificate> certificates,
    List<PublicKey> keys,
    Map<String, Object> properties,
    String problem) {
  public KeyMaterial {
    certificates = List.copyOf(certificates);
    keys = List.copyOf(keys);
    properties = Map.copyOf(properties);
    problem = problem == null ? "" : problem;
  }

  /** Complete material: everything configured was fetched. */
  public KeyMaterial(
      List<X509Certificate> certificates, List<PublicKey> keys, Map<String, Object> properties) {
    this(certificates, keys, properties, "");
  }
}
