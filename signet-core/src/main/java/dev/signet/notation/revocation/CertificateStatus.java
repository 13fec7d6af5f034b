package dev.signet.notation.revocation;

import java.security.cert.X509Certificate;

/** The revocation result for one certificate of a chain, with the reason for REVOKED / UNKNOWN. */
public record CertificateStatus(X509Certificate certificate, RevocationStatus status, String detail) {}
