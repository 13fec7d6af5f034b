package dev.signet.kubernetes.kmp;

import dev.signet.notation.x509.CertificateFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Ratify's {@code inline} provider: {@code parameters.contentType} {@code certificate} (the default)
 * or {@code key}, and {@code parameters.value}, PEM text.
 */
final class InlineProvider implements ProviderType {
  static final String TYPE = "inline";
  /** Far more than any trust bundle; the API server limits objects to about 1.5 MB anyway. */
  private static final int MAX_VALUE_CHARS = 1024 * 1024;

  @Override
  public KeySource open(String name, Map<String, Object> parameters) throws KeyManagementException {
    return KeySource.fixed(material(parameters));
  }

  private static KeyMaterial material(Map<String, Object> parameters) throws KeyManagementException {
    Map<String, Object> params = parameters == null ? Map.of() : parameters;
    Object contentType = params.getOrDefault("contentType", "certificate");
    Object value = params.get("value");
    if (!(value instanceof String pem) || pem.isBlank()) {
      throw new KeyManagementException(
          "parameters.value is required: the PEM text of the certificates or public key");
    }
    if (pem.length() > MAX_VALUE_CHARS) {
      throw new KeyManagementException(
          "parameters.value is longer than " + MAX_VALUE_CHARS + " characters");
    }
    return switch (String.valueOf(contentType)) {
      case "certificate" -> certificates(pem);
      case "key" -> key(pem);
      default -> throw new KeyManagementException(
          "parameters.contentType \"" + contentType + "\" is not supported; use certificate or key");
    };
  }

  private static KeyMaterial certificates(String pem) throws KeyManagementException {
    List<X509Certificate> certs;
    try {
      certs = CertificateFiles.read(pem.getBytes(StandardCharsets.UTF_8));
    } catch (CertificateException e) {
      throw new KeyManagementException(
          "parameters.value holds no valid PEM certificate: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new KeyManagementException("parameters.value holds no PEM certificate");
    }
    List<Map<String, Object>> described = new ArrayList<>();
    for (X509Certificate c : certs) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("subject", c.getSubjectX500Principal().getName());
      one.put("notAfter", c.getNotAfter().toInstant().toString());
      one.put("sha256Fingerprint", fingerprint(c));
      described.add(one);
    }
    return new KeyMaterial(certs, List.of(), Map.of("certificates", described));
  }

  private static KeyMaterial key(String pem) throws KeyManagementException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object parsed = parser.readObject();
      if (!(parsed instanceof SubjectPublicKeyInfo info)) {
        throw new KeyManagementException(
            "parameters.value must be one PEM PUBLIC KEY block (contentType key)");
      }
      PublicKey key = new JcaPEMKeyConverter().getPublicKey(info);
      return new KeyMaterial(
          List.of(), List.of(key), Map.of("keys", List.of(Map.of("algorithm", key.getAlgorithm()))));
    } catch (IOException e) {
      throw new KeyManagementException("parameters.value is not a PEM public key: " + e.getMessage(), e);
    }
  }

  private static String fingerprint(X509Certificate c) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
