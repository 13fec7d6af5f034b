package dev.signet.notation.revocation;

import dev.signet.deadline.Deadline;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * One certificate whose revocation status OCSP and CRL are asked for: its issuer (who signs the
 * answers), the signing time (a revocation dated after it does not count) and the deadline of the
 * verification.
 */
record RevocationQuery(
    X509Certificate cert, X509Certificate issuer, Instant signingTime, Deadline deadline) {}
