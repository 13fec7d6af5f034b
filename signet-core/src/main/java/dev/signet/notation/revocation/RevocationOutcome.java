package dev.signet.notation.revocation;

// Checklist §8.7 (signing chain) and §8.6(i) (timestamping chain): how per-certificate statuses
// become one verification result.

import dev.signet.notation.x509.Purpose;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The result of revocation checking for a whole chain.
 *
 * @param result pass, revoked or unknown
 * @param message null on pass; else notation's message naming the deciding certificate
 * @param cause the deciding certificate's status; null on pass
 */
public record RevocationOutcome(Result result, String message, CertificateStatus cause) {

  /** The three outcomes. */
  public enum Result {
    PASS,
    REVOKED,
    UNKNOWN
  }

  public boolean passed() {
    return result == Result.PASS;
  }

  /**
   * Revoked anywhere in the chain wins (the revoked certificate nearest the leaf is named); else
   * any unknown status fails, naming the unknown certificate nearest the leaf; else pass. Good and
   * non-revokable both count as pass.
   *
   * @param statuses leaf first, as returned by {@link RevocationChecker#check}
   * @param dnFormatter renders a certificate subject the way messages show it (Go style)
   * @param purpose chooses "signing certificate" or "timestamping certificate"
   */
  public static RevocationOutcome summarize(
      List<CertificateStatus> statuses,
      Function<X509Certificate, String> dnFormatter,
      Purpose purpose) {
    Objects.requireNonNull(dnFormatter, "dnFormatter");
    String role = purpose == Purpose.TIMESTAMPING ? "timestamping" : "signing";
    for (CertificateStatus s : statuses) {
      if (s.status() == RevocationStatus.REVOKED) {
        return new RevocationOutcome(
            Result.REVOKED,
            role
                + " certificate with subject \""
                + dnFormatter.apply(s.certificate())
                + "\" is revoked",
            s);
      }
    }
    for (CertificateStatus s : statuses) {
      if (s.status() == RevocationStatus.UNKNOWN) {
        return new RevocationOutcome(
            Result.UNKNOWN,
            role
                + " certificate with subject \""
                + dnFormatter.apply(s.certificate())
                + "\" revocation status is unknown",
            s);
      }
    }
    return new RevocationOutcome(Result.PASS, null, null);
  }
}
