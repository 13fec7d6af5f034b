package dev.signet.notation.timestamp;

import dev.signet.notation.truststore.TrustStoreException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Verifies an RFC 3161 timestamp countersignature over a signature's raw bytes
 * (checklist §8.6 steps b-g, §9).
 */
public interface TimestampVerifier {

  /** Loads the {@code tsa:} roots of the trust policy, after the token itself has been read. */
  @FunctionalInterface
  interface TsaRoots {
    List<X509Certificate> load() throws TrustStoreException;
  }

  /**
   * @param token the DER (or BER) TimeStampToken from the envelope
   * @param signature the raw primitive signature bytes it must countersign
   * @param roots the TSA trust anchors
   * @return the authentic time and the validated TSA chain
   * @throws TimestampException whose message says which step failed and why
   */
  VerifiedTimestamp verify(byte[] token, byte[] signature, TsaRoots roots)
      throws TimestampException;
}
