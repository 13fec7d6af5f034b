package dev.signet.notation.revocation;

// Checklist §10 (CRL): every distribution point is checked; delta CRLs come from the base CRL's
// FreshestCRL; RFC 5280 §5.2/§5.3 for the extensions we accept.

import dev.signet.deadline.Deadline;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/** Checks a certificate against the CRLs of all its distribution points. */
final class CrlCheck {
  static final long MAX_CRL_BYTES = 32L * 1024 * 1024;
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int HOLD = CRLReason.certificateHold;
  private static final int REMOVE = CRLReason.removeFromCRL;

  /** CRL extensions we understand (RFC 5280 §5.2); DeltaCRLIndicator only on deltas. */
  private static final Set<ASN1ObjectIdentifier> KNOWN_CRL_EXTENSIONS =
      Set.of(
          Extension.cRLNumber,
          Extension.authorityKeyIdentifier,
          Extension.issuerAlternativeName,
          Extension.issuingDistributionPoint,
          Extension.freshestCRL,
          Extension.deltaCRLIndicator);

  private static final Set<ASN1ObjectIdentifier> KNOWN_ENTRY_EXTENSIONS =
      Set.of(Extension.reasonCode, Extension.invalidityDate);

  record Result(RevocationStatus status, String detail) {}

  private final HttpFetcher fetcher;
  private final Clock clock;
  private final Duration timeout;
  private final CrlCache cache;
  private final Duration staleIfError;

  /**
   * @param staleIfError how long past nextUpdate a cached CRL may still be used when fetching a new
   *     one fails; null disables it
   */
  CrlCheck(
      HttpFetcher fetcher, Clock clock, Duration timeout, CrlCache cache, Duration staleIfError) {
    this.fetcher = fetcher;
    this.clock = clock;
    this.timeout = timeout;
    this.cache = cache;
    this.staleIfError = staleIfError;
  }

  Result check(RevocationQuery q, List<String> urls) {
    List<String> good = new ArrayList<>();
    for (String url : urls) {
      try {
        Verdict verdict = checkOne(q, url);
        if (verdict.revoked()) {
          return new Result(
              RevocationStatus.REVOKED,
              "certificate is revoked via CRL (" + url + ")" + verdict.note());
        }
        good.add("CRL " + url + ": not revoked" + verdict.note());
      } catch (RevocationCheckException e) {
        // Like notation: every distribution point must answer; one failure makes the status
        // unknown.
        return new Result(RevocationStatus.UNKNOWN, "CRL " + url + ": " + e.getMessage());
      }
    }
    return new Result(RevocationStatus.GOOD, String.join("; ", good));
  }

  private record Verdict(boolean revoked, String note) {}

  private Verdict checkOne(RevocationQuery q, String url) throws RevocationCheckException {
    X509Certificate cert = q.cert();
    Loaded base = loadValidated(crlUri(url), q.issuer(), false, q.deadline());
    checkScope(base.crl(), cert);

    List<String> certFreshest =
        CertificateLocations.freshestUrls(cert.getExtensionValue(Extension.freshestCRL.getId()));
    List<String> baseFreshest =
        CertificateLocations.freshestUrls(extensionValue(base.crl(), Extension.freshestCRL));
    List<X509CRLEntryHolder> entries = new ArrayList<>(entries(base.crl()));
    StringBuilder note = new StringBuilder(base.note());
    if (!baseFreshest.isEmpty()) {
      Loaded delta = loadDelta(baseFreshest, base.crl(), q.issuer(), q.deadline());
      entries.addAll(entries(delta.crl()));
      note.append(delta.note());
    } else if (!certFreshest.isEmpty()) {
      throw new RevocationCheckException(
          "freshest CRL from certificate extension is not supported");
    }
    return new Verdict(revoked(entries, cert.getSerialNumber(), q.signingTime()), note.toString());
  }

  static URI crlUri(String url) throws RevocationCheckException {
    return CertificateLocations.httpUri(
        url, s -> "unsupported scheme: " + s + ". Only supports CRL URL in HTTP protocol");
  }

  private Loaded loadDelta(
      List<String> urls, X509CRLHolder base, X509Certificate issuer, Deadline deadline)
      throws RevocationCheckException {
    BigInteger baseNumber = integerExtension(base, Extension.cRLNumber);
    if (baseNumber == null) {
      throw new RevocationCheckException("base CRL with FreshestCRL has no CRL number");
    }
    List<String> failures = new ArrayList<>();
    for (String url : urls) {
      try {
        Loaded delta = loadValidated(crlUri(url), issuer, true, deadline);
        BigInteger number = integerExtension(delta.crl(), Extension.cRLNumber);
        BigInteger indicator = integerExtension(delta.crl(), Extension.deltaCRLIndicator);
        if (number == null || indicator == null) {
          throw new RevocationCheckException("delta CRL lacks a CRL number or delta CRL indicator");
        }
        if (number.compareTo(baseNumber) <= 0) {
          throw new RevocationCheckException(
              "delta CRL number "
                  + number
                  + " is not greater than the base CRL number "
                  + baseNumber);
        }
        if (indicator.compareTo(baseNumber) > 0) {
          throw new RevocationCheckException(
              "delta CRL indicator "
                  + indicator
                  + " is greater than the base CRL number "
                  + baseNumber);
        }
        return delta;
      } catch (RevocationCheckException e) {
        failures.add("delta CRL " + url + ": " + e.getMessage());
      }
    }
    throw new RevocationCheckException(String.join("; ", failures));
  }

  private record Loaded(X509CRLHolder crl, String note) {}

  /**
   * A CRL for {@code uri} that is signed by {@code issuer} and current: from the cache when fresh,
   * else downloaded (and cached once it validates). With stale-if-error, a cached CRL up to the
   * allowed staleness replaces a failed download.
   */
  private Loaded loadValidated(URI uri, X509Certificate issuer, boolean delta, Deadline deadline)
      throws RevocationCheckException {
    Instant now = clock.instant();
    CachedCrl cached = cache.get(uri).orElse(null);
    if (cached != null && cached.freshAt(now)) {
      try {
        X509CRLHolder crl = parse(cached.der());
        validate(crl, issuer, delta, now, false);
        return new Loaded(crl, "");
      } catch (RevocationCheckException e) {
        cache.remove(uri);
        cached = null;
      }
    }
    byte[] der;
    try {
      der =
          fetcher.fetch(new HttpFetcher.Request(uri, null, null, MAX_CRL_BYTES, timeout), deadline);
    } catch (RevocationCheckException e) {
      Loaded stale = staleFallback(cached, issuer, delta, now, e);
      if (stale != null) {
        return stale;
      }
      throw new RevocationCheckException("failed to download CRL: " + e.getMessage());
    }
    X509CRLHolder crl = parse(der);
    validate(crl, issuer, delta, clock.instant(), false);
    cache.put(new CachedCrl(uri, der, now, crl.getNextUpdate().toInstant()));
    return new Loaded(crl, "");
  }

  private Loaded staleFallback(
      CachedCrl cached,
      X509Certificate issuer,
      boolean delta,
      Instant now,
      RevocationCheckException failure) {
    if (staleIfError == null || cached == null) {
      return null;
    }
    try {
      X509CRLHolder crl = parse(cached.der());
      validate(crl, issuer, delta, now, true);
      // The signed nextUpdate bounds the staleness, not the cache's own metadata.
      Instant nextUpdate = crl.getNextUpdate().toInstant();
      if (now.isAfter(nextUpdate.plus(staleIfError))) {
        return null;
      }
      return new Loaded(
          crl,
          "; stale CRL (nextUpdate "
              + nextUpdate
              + ") used because the download failed: "
              + failure.getMessage());
    } catch (RevocationCheckException e) {
      return null;
    }
  }

  static X509CRLHolder parse(byte[] der) throws RevocationCheckException {
    if (der.length > 0 && der[0] != 0x30) {
      String head = new String(der, 0, Math.min(der.length, 10), StandardCharsets.US_ASCII);
      throw new RevocationCheckException(
          head.startsWith("-----") ? "CRL is PEM-encoded; only DER is supported" : "malformed CRL");
    }
    try {
      return new X509CRLHolder(der);
    } catch (IOException | RuntimeException e) {
      throw new RevocationCheckException("malformed CRL: " + e.getMessage());
    }
  }

  private static void validate(
      X509CRLHolder crl, X509Certificate issuer, boolean delta, Instant now, boolean allowExpired)
      throws RevocationCheckException {
    X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    if (!crl.getIssuer().equals(issuerName)) {
      throw new RevocationCheckException(
          "CRL issuer " + crl.getIssuer() + " is not the certificate's issuer " + issuerName);
    }
    boolean[] keyUsage = issuer.getKeyUsage();
    if (keyUsage != null && (keyUsage.length <= 6 || !keyUsage[6])) {
      throw new RevocationCheckException(
          "the issuer's key usage does not allow signing CRLs (cRLSign)");
    }
    boolean valid;
    try {
      valid =
          crl.isSignatureValid(
              new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()));
    } catch (Exception e) {
      throw new RevocationCheckException("CRL signature cannot be verified: " + e.getMessage());
    }
    if (!valid) {
      throw new RevocationCheckException("CRL is not signed by CA " + issuerName);
    }
    if (crl.getNextUpdate() == null) {
      throw new RevocationCheckException("CRL NextUpdate is not set");
    }
    Instant nextUpdate = crl.getNextUpdate().toInstant();
    if (!allowExpired && now.isAfter(nextUpdate)) {
      throw new RevocationCheckException(
          "expired CRL. Current time " + now + " is after CRL NextUpdate " + nextUpdate);
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
      throw new RevocationCheckException("CRL thisUpdate " + thisUpdate + " is in the future");
    }
    Extensions extensions = crl.getExtensions();
    if (extensions != null) {
      for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
        if (!KNOWN_CRL_EXTENSIONS.contains(oid)) {
          throw new RevocationCheckException("unsupported critical extension found in CRL: " + oid);
        }
      }
      boolean isDelta = extensions.getExtension(Extension.deltaCRLIndicator) != null;
      if (isDelta != delta) {
        throw new RevocationCheckException(
            delta
                ? "delta CRL has no delta CRL indicator"
                : "a delta CRL was served as the base CRL");
      }
    } else if (delta) {
      throw new RevocationCheckException("delta CRL has no delta CRL indicator");
    }
  }

  /**
   * The issuing distribution point is accepted (as notation does), but a CRL whose scope cannot
   * cover this certificate, or that is partial by reason or indirect, cannot prove "not revoked".
   */
  private static void checkScope(X509CRLHolder crl, X509Certificate cert)
      throws RevocationCheckException {
    Extension ext = crl.getExtension(Extension.issuingDistributionPoint);
    if (ext == null) {
      return;
    }
    IssuingDistributionPoint idp;
    try {
      idp = IssuingDistributionPoint.getInstance(ext.getParsedValue());
    } catch (RuntimeException e) {
      throw new RevocationCheckException("malformed issuing distribution point in CRL");
    }
    boolean isCa = cert.getBasicConstraints() >= 0;
    if (idp.onlyContainsUserCerts() && isCa) {
      throw new RevocationCheckException("CRL only covers end-entity certificates");
    }
    if (idp.onlyContainsCACerts() && !isCa) {
      throw new RevocationCheckException("CRL only covers CA certificates");
    }
    if (idp.onlyContainsAttributeCerts()) {
      throw new RevocationCheckException("CRL only covers attribute certificates");
    }
    if (idp.getOnlySomeReasons() != null) {
      throw new RevocationCheckException("partial CRLs (onlySomeReasons) are not supported");
    }
    if (idp.isIndirectCRL()) {
      throw new RevocationCheckException("indirect CRLs are not supported");
    }
  }

  @SuppressWarnings("unchecked")
  private static java.util.Collection<X509CRLEntryHolder> entries(X509CRLHolder crl) {
    return crl.getRevokedCertificates();
  }

  /**
   * Serial match over base and delta entries: an invalidity date after the signing time ignores the
   * entry; certificateHold / removeFromCRL entries are resolved by the latest revocation date (hold
   * means revoked); any other reason means revoked.
   */
  static boolean revoked(List<X509CRLEntryHolder> entries, BigInteger serial, Instant signingTime)
      throws RevocationCheckException {
    X509CRLEntryHolder latestTemporary = null;
    int latestReason = 0;
    for (X509CRLEntryHolder entry : entries) {
      if (!entry.getSerialNumber().equals(serial)) {
        continue;
      }
      Extensions exts = entry.getExtensions();
      if (exts != null) {
        for (ASN1ObjectIdentifier oid : exts.getCriticalExtensionOIDs()) {
          if (!KNOWN_ENTRY_EXTENSIONS.contains(oid)) {
            throw new RevocationCheckException(
                "unsupported critical extension found in revoked certificate entry: " + oid);
          }
        }
      }
      Instant invalidity =
          InvalidityDate.of(
              exts == null ? null : exts.getExtension(Extension.invalidityDate), "CRL entry");
      if (InvalidityDate.signedBefore(signingTime, invalidity)) {
        continue;
      }
      int reason = reason(exts);
      if (reason == HOLD || reason == REMOVE) {
        if (latestTemporary == null
            || latestTemporary.getRevocationDate().before(entry.getRevocationDate())) {
          latestTemporary = entry;
          latestReason = reason;
        }
      } else {
        return true;
      }
    }
    return latestTemporary != null && latestReason == HOLD;
  }

  private static int reason(Extensions exts) throws RevocationCheckException {
    Extension ext = exts == null ? null : exts.getExtension(Extension.reasonCode);
    if (ext == null) {
      return CRLReason.unspecified;
    }
    try {
      return CRLReason.getInstance(ext.getParsedValue()).getValue().intValueExact();
    } catch (RuntimeException e) {
      throw new RevocationCheckException("malformed reason code in CRL entry");
    }
  }

  static BigInteger integerExtension(X509CRLHolder crl, ASN1ObjectIdentifier oid)
      throws RevocationCheckException {
    Extension ext = crl.getExtension(oid);
    if (ext == null) {
      return null;
    }
    try {
      return ASN1Integer.getInstance(ext.getParsedValue()).getValue();
    } catch (RuntimeException e) {
      throw new RevocationCheckException("malformed " + oid + " extension in CRL");
    }
  }

  static byte[] extensionValue(X509CRLHolder crl, ASN1ObjectIdentifier oid)
      throws RevocationCheckException {
    Extension ext = crl.getExtension(oid);
    if (ext == null) {
      return null;
    }
    try {
      // CertificateLocations expects the OCTET STRING wrapper, as X509Certificate returns it.
      return ext.getExtnValue().getEncoded();
    } catch (IOException e) {
      throw new RevocationCheckException("malformed " + oid + " extension in CRL");
    }
  }
}
