package dev.signet.notation.revocation;

// Checklist §10: per certificate OCSP first, CRL as fallback, else non-revokable; the chain's
// last certificate is never checked; certificates are checked in parallel within the deadline.

import dev.signet.http.Redirects;
import dev.signet.notation.x509.Purpose;
import dev.signet.deadline.Deadline;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Checks certificates online with OCSP and CRLs (checklist §10).
 *
 * <p>Per certificate: OCSP when the certificate names a responder; when OCSP gives no definite
 * answer and the certificate has CRL distribution points, the CRLs decide; with only distribution
 * points, the CRLs decide; with neither, the certificate is {@link RevocationStatus#NON_REVOKABLE}.
 * Every error gives {@link RevocationStatus#UNKNOWN} with a detail naming the URL and the reason.
 *
 * <p>Only http URLs are fetched (OCSP and CRLs are signed data; https adds nothing and could loop
 * back into revocation checking). Each request is bounded by min(method timeout, time left until
 * the deadline) and by a size cap (OCSP 20 KiB, CRL 32 MiB).
 *
 * <p>Close the checker to release its HTTP client.
 */
public final class OnlineRevocationChecker implements RevocationChecker, AutoCloseable {
  public static final Duration DEFAULT_OCSP_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CRL_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The per-certificate tasks get this much beyond the deadline to report their own (more precise)
   * timeout before the checker gives up on them; their fetches are already bounded by the deadline.
   */
  private static final Duration REPORTING_GRACE = Duration.ofMillis(200);

  private final Clock clock;
  private final HttpFetcher fetcher;
  private final OcspCheck ocsp;
  private final CrlCheck crl;
  private final CrlCache cache;
  private final Duration crlTimeout;

  private OnlineRevocationChecker(Builder b) {
    this.clock = b.clock;
    this.fetcher = new HttpFetcher(b.urlRewriter);
    this.cache = b.crlCache;
    this.crlTimeout = b.crlTimeout;
    this.ocsp = new OcspCheck(fetcher, clock, b.ocspTimeout);
    this.crl = new CrlCheck(fetcher, clock, b.crlTimeout, cache, b.staleIfError);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<CertificateStatus> check(
      List<X509Certificate> chain, Purpose purpose, Instant signingTime, Deadline deadline) {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(deadline, "deadline");
    if (chain.isEmpty()) {
      return List.of();
    }
    int last = chain.size() - 1;
    List<Future<CertificateStatus>> futures = new ArrayList<>(last);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < last; i++) {
        X509Certificate cert = chain.get(i);
        X509Certificate issuer = chain.get(i + 1);
        futures.add(executor.submit(() -> checkOne(cert, issuer, signingTime, deadline)));
      }
      List<CertificateStatus> out = new ArrayList<>(chain.size());
      for (int i = 0; i < last; i++) {
        out.add(await(futures.get(i), chain.get(i), deadline));
      }
      out.add(
          new CertificateStatus(
              chain.get(last),
              RevocationStatus.NON_REVOKABLE,
              "the last certificate of the chain is not checked"));
      return List.copyOf(out);
    } finally {
      executor.shutdownNow();
    }
  }

  private static CertificateStatus await(
      Future<CertificateStatus> future, X509Certificate cert, Deadline deadline) {
    try {
      long waitNanos = deadline.remaining().plus(REPORTING_GRACE).toNanos();
      return future.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new CertificateStatus(
          cert,
          RevocationStatus.UNKNOWN,
          "revocation check did not finish before the verification deadline");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return new CertificateStatus(cert, RevocationStatus.UNKNOWN, "revocation check interrupted");
    } catch (ExecutionException e) {
      return new CertificateStatus(
          cert, RevocationStatus.UNKNOWN, "revocation check failed: " + e.getCause());
    }
  }

  private CertificateStatus checkOne(
      X509Certificate cert, X509Certificate issuer, Instant signingTime, Deadline deadline) {
    List<String> ocspUrls;
    List<String> crlUrls;
    try {
      ocspUrls = CertificateLocations.ocspUrls(cert);
      crlUrls = CertificateLocations.crlUrls(cert);
    } catch (RevocationCheckException e) {
      return new CertificateStatus(cert, RevocationStatus.UNKNOWN, e.getMessage());
    }
    RevocationQuery q = new RevocationQuery(cert, issuer, signingTime, deadline);
    if (!ocspUrls.isEmpty()) {
      OcspCheck.Result r = ocsp.check(q, ocspUrls);
      if (r.definite() || crlUrls.isEmpty()) {
        return new CertificateStatus(cert, r.status(), r.detail());
      }
      CrlCheck.Result c = crl.check(q, crlUrls);
      return new CertificateStatus(
          cert, c.status(), c.detail() + " (after OCSP failed: " + r.detail() + ")");
    }
    if (!crlUrls.isEmpty()) {
      CrlCheck.Result c = crl.check(q, crlUrls);
      return new CertificateStatus(cert, c.status(), c.detail());
    }
    return new CertificateStatus(
        cert,
        RevocationStatus.NON_REVOKABLE,
        "the certificate names no OCSP responder and no CRL distribution point");
  }

  /**
   * Downloads the CRLs of the given certificates into the cache ahead of time (Ratify does this for
   * certificates from key management providers). A CRL is cached only when an issuer for the
   * certificate is found in the same list and has signed it; without one the CRL is cached after
   * parsing, and validated when it is used.
   *
   * @return one line per CRL that could not be fetched or validated; empty when all were cached
   */
  public List<String> warm(List<X509Certificate> certificates, Deadline deadline) {
    List<String> failures = new ArrayList<>();
    for (X509Certificate cert : certificates) {
      X509Certificate issuer = findIssuer(cert, certificates);
      List<String> urls;
      try {
        urls = CertificateLocations.crlUrls(cert);
      } catch (RevocationCheckException e) {
        failures.add(cert.getSubjectX500Principal().getName() + ": " + e.getMessage());
        continue;
      }
      for (String url : urls) {
        try {
          warmOne(url, issuer, deadline);
        } catch (RevocationCheckException e) {
          failures.add("CRL " + url + ": " + e.getMessage());
        }
      }
    }
    return List.copyOf(failures);
  }

  /** {@link #warm(List, Deadline)} with one minute for all downloads. */
  public List<String> warm(List<X509Certificate> certificates) {
    return warm(certificates, Deadline.after(clock, Duration.ofMinutes(1)));
  }

  private void warmOne(String url, X509Certificate issuer, Deadline deadline)
      throws RevocationCheckException {
    URI uri = CrlCheck.crlUri(url);
    Instant now = clock.instant();
    if (cache.get(uri).map(c -> c.freshAt(now)).orElse(false)) {
      return;
    }
    byte[] der =
        fetcher.fetch(
            new HttpFetcher.Request(uri, null, null, CrlCheck.MAX_CRL_BYTES, crlTimeout), deadline);
    var parsed = CrlCheck.parse(der);
    if (parsed.getNextUpdate() == null) {
      throw new RevocationCheckException("CRL NextUpdate is not set");
    }
    Instant nextUpdate = parsed.getNextUpdate().toInstant();
    if (!now.isBefore(nextUpdate)) {
      throw new RevocationCheckException("expired CRL (NextUpdate " + nextUpdate + ")");
    }
    if (issuer != null) {
      boolean signed;
      try {
        signed =
            parsed.isSignatureValid(
                new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .build(issuer.getPublicKey()));
      } catch (Exception e) {
        signed = false;
      }
      if (!signed) {
        throw new RevocationCheckException("CRL is not signed by the certificate's issuer");
      }
    }
    cache.put(new CachedCrl(uri, der, now, nextUpdate));
  }

  private static X509Certificate findIssuer(X509Certificate cert, List<X509Certificate> pool) {
    for (X509Certificate candidate : pool) {
      if (candidate != cert
          && candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        try {
          cert.verify(candidate.getPublicKey());
          return candidate;
        } catch (Exception e) {
          // not this one
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    fetcher.close();
  }

  /** Settings; every one has a default. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration ocspTimeout = DEFAULT_OCSP_TIMEOUT;
    private Duration crlTimeout = DEFAULT_CRL_TIMEOUT;
    private CrlCache crlCache;
    private Duration staleIfError;
    private UnaryOperator<URI> urlRewriter = UnaryOperator.identity();

    private Builder() {}

    /** The clock for "now" when judging responses and CRLs (not for deadlines). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Per-request OCSP timeout (default 2 s); always further bounded by the deadline. */
    public Builder ocspTimeout(Duration timeout) {
      this.ocspTimeout = positive(timeout);
      return this;
    }

    /** Per-request CRL timeout (default 5 s); always further bounded by the deadline. */
    public Builder crlTimeout(Duration timeout) {
      this.crlTimeout = positive(timeout);
      return this;
    }

    /** Where CRLs are kept between checks (default: a new {@link InMemoryCrlCache}). */
    public Builder crlCache(CrlCache cache) {
      this.crlCache = Objects.requireNonNull(cache);
      return this;
    }

    /**
     * Allows a cached CRL up to {@code maxStaleness} past its nextUpdate when downloading a new one
     * fails. Off by default: enable it only where the policy would tolerate an unknown status
     * anyway, since a stale CRL can miss recent revocations.
     */
    public Builder staleIfError(Duration maxStaleness) {
      this.staleIfError = positive(maxStaleness);
      return this;
    }

    /**
     * Maps each URL just before it is requested (the certificate's URL still appears in details and
     * is the cache key). For tests and mirrors; the scheme of the original URL is checked first,
     * and the rewritten URL must be http as well.
     */
    public Builder urlRewriter(UnaryOperator<URI> rewriter) {
      UnaryOperator<URI> r = Objects.requireNonNull(rewriter);
      this.urlRewriter =
          uri -> {
            URI mapped = r.apply(uri);
            if (!"http".equals(Redirects.scheme(mapped))) {
              throw new IllegalArgumentException("rewritten URL is not http");
            }
            return mapped;
          };
      return this;
    }

    public OnlineRevocationChecker build() {
      if (crlCache == null) {
        crlCache = new InMemoryCrlCache();
      }
      return new OnlineRevocationChecker(this);
    }

    private static Duration positive(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("duration must be positive");
      }
      return d;
    }
  }
}
