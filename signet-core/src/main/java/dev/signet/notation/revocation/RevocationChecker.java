package dev.signet.notation.revocation;

import dev.signet.notation.x509.Purpose;
import dev.signet.deadline.Deadline;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** Checks the revocation status of every certificate of a chain (checklist §10). */
public interface RevocationChecker {
  /**
   * @param chain leaf first, root last; the chain has already passed the certificate rules
   * @param purpose which rules the chain follows
   * @param signingTime compared with invalidity dates; null when not authentic
   * @param deadline every network fetch ends by it
   * @return one status per certificate, in chain order
   */
  List<CertificateStatus> check(
      List<X509Certificate> chain, Purpose purpose, Instant signingTime, Deadline deadline);
}
