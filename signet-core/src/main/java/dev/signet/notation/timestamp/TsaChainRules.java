package dev.signet.notation.timestamp;

import dev.signet.notation.x509.CertificateChainException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The Notary Project rules for a timestamping certificate chain (checklist §5.7), applied to the
 * chain that {@link Rfc3161TimestampVerifier} built from the token to a trusted root.
 */
@FunctionalInterface
public interface TsaChainRules {
  /**
   * @param chain the built TSA chain, leaf first, root last
   * @throws CertificateChainException when the chain breaks a rule
   */
  void validate(List<X509Certificate> chain) throws CertificateChainException;
}
