package dev.signet.notation.revocation;

// Checklist §10 (OCSP) and RFC 6960 §4.2.2.2 for who may sign a response.

import dev.signet.deadline.Deadline;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks the certificate's OCSP responders, in order, until one gives a definite answer.
 *
 * <p>Who may sign: the issuer itself, or a responder certificate embedded in the response that is
 * issued (and signed) by the issuer, carries the id-kp-OCSPSigning EKU and is valid now. This is
 * RFC 6960 §4.2.2.2; x/crypto/ocsp (used by notation) checks neither the EKU nor the validity, so
 * we are stricter there on purpose.
 */
final class OcspCheck {
  static final long MAX_RESPONSE_BYTES = 20 * 1024;

  /** Requests whose URL-escaped base64 form is shorter than this go by GET (RFC 6960 A.1). */
  static final int GET_LIMIT = 255;

  /** The outcome of asking OCSP. {@code definite} is false when CRL may be tried instead. */
  record Result(
      dev.signet.notation.revocation.RevocationStatus status, String detail, boolean definite) {}

  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final HttpFetcher fetcher;
  private final Clock clock;
  private final Duration timeout;
  private final DigestCalculatorProvider digests;

  OcspCheck(HttpFetcher fetcher, Clock clock, Duration timeout) {
    this.fetcher = fetcher;
    this.clock = clock;
    this.timeout = timeout;
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  Result check(RevocationQuery q, List<String> urls) {
    StringBuilder errors = new StringBuilder();
    for (String url : urls) {
      try {
        URI uri =
            CertificateLocations.httpUri(
                url, s -> "OCSPServer protocol " + s + " is not supported");
        Answer answer = ask(uri, q.cert(), q.issuer(), q.deadline());
        switch (answer.status()) {
          case GOOD -> {
            return new Result(RevocationStatus.GOOD, "OCSP " + url + ": good", true);
          }
          case REVOKED -> {
            if (InvalidityDate.signedBefore(q.signingTime(), answer.invalidityDate())) {
              return new Result(
                  RevocationStatus.GOOD,
                  "OCSP "
                      + url
                      + ": revoked with invalidity date "
                      + answer.invalidityDate()
                      + ", after the signing time "
                      + q.signingTime(),
                  true);
            }
            return new Result(
                RevocationStatus.REVOKED,
                "certificate is revoked via OCSP (responder " + url + ")",
                true);
          }
          default -> {
            // An "unknown" answer is authoritative for OCSP: other responders are not asked,
            // but a CRL may still decide.
            append(errors, url, "certificate has unknown status via OCSP");
            return new Result(RevocationStatus.UNKNOWN, errors.toString(), false);
          }
        }
      } catch (RevocationCheckException e) {
        append(errors, url, e.getMessage());
      }
    }
    return new Result(RevocationStatus.UNKNOWN, errors.toString(), false);
  }

  private static void append(StringBuilder errors, String url, String reason) {
    if (!errors.isEmpty()) {
      errors.append("; ");
    }
    errors.append("OCSP ").append(url).append(": ").append(reason);
  }

  private record Answer(RevocationStatus status, Instant invalidityDate) {}

  private Answer ask(URI uri, X509Certificate cert, X509Certificate issuer, Deadline deadline)
      throws RevocationCheckException {
    X509CertificateHolder issuerHolder = holder(issuer);
    CertificateID id = certificateId(issuerHolder, cert.getSerialNumber());
    byte[] request;
    try {
      request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
    } catch (OCSPException | IOException e) {
      throw new RevocationCheckException("could not build the OCSP request: " + e.getMessage());
    }
    byte[] body = fetcher.fetch(httpRequest(uri, request, timeout), deadline);
    return parse(body, id, issuerHolder);
  }

  static HttpFetcher.Request httpRequest(URI server, byte[] request, Duration timeout) {
    String escaped =
        URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.UTF_8);
    if (escaped.length() < GET_LIMIT) {
      String base = server.toString();
      URI get = URI.create(base.endsWith("/") ? base + escaped : base + "/" + escaped);
      return new HttpFetcher.Request(get, null, null, MAX_RESPONSE_BYTES, timeout);
    }
    return new HttpFetcher.Request(
        server, request, "application/ocsp-request", MAX_RESPONSE_BYTES, timeout);
  }

  private CertificateID certificateId(X509CertificateHolder issuer, BigInteger serial)
      throws RevocationCheckException {
    try {
      DigestCalculator sha1 = digests.get(CertificateID.HASH_SHA1);
      return new CertificateID(sha1, issuer, serial);
    } catch (OCSPException | OperatorCreationException e) {
      throw new RevocationCheckException("could not build the OCSP CertID: " + e.getMessage());
    }
  }

  private Answer parse(byte[] body, CertificateID id, X509CertificateHolder issuer)
      throws RevocationCheckException {
    BasicOCSPResp basic;
    try {
      OCSPResp resp = new OCSPResp(body);
      if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
        throw new RevocationCheckException(
            "OCSP response status " + resp.getStatus() + " is not successful");
      }
      Object object = resp.getResponseObject();
      if (!(object instanceof BasicOCSPResp b)) {
        throw new RevocationCheckException("OCSP response is not a basic response");
      }
      basic = b;
    } catch (IOException | OCSPException | RuntimeException e) {
      throw new RevocationCheckException("malformed OCSP response: " + e.getMessage());
    }
    verifySigner(basic, issuer);
    rejectCriticalExtensions(basic.getCriticalExtensionOIDs(), "response", true);

    SingleResp single = findSingle(basic, id, issuer);
    rejectCriticalExtensions(single.getCriticalExtensionOIDs(), "single response", false);
    Instant now = clock.instant();
    Instant thisUpdate = single.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
      throw new RevocationCheckException(
          "OCSP response thisUpdate " + thisUpdate + " is in the future");
    }
    // Like notation: a response without nextUpdate cannot be shown to be current.
    if (single.getNextUpdate() == null || now.isAfter(single.getNextUpdate().toInstant())) {
      throw new RevocationCheckException("expired OCSP response");
    }
    CertificateStatus status = single.getCertStatus();
    if (status == CertificateStatus.GOOD) {
      return new Answer(RevocationStatus.GOOD, null);
    }
    if (status instanceof RevokedStatus) {
      return new Answer(
          RevocationStatus.REVOKED,
          InvalidityDate.of(single.getExtension(Extension.invalidityDate), "OCSP response"));
    }
    if (status instanceof UnknownStatus) {
      return new Answer(RevocationStatus.UNKNOWN, null);
    }
    throw new RevocationCheckException("unrecognised OCSP certificate status");
  }

  private SingleResp findSingle(BasicOCSPResp basic, CertificateID id, X509CertificateHolder issuer)
      throws RevocationCheckException {
    for (SingleResp single : basic.getResponses()) {
      CertificateID got = single.getCertID();
      if (!got.getSerialNumber().equals(id.getSerialNumber())) {
        continue;
      }
      try {
        if (got.matchesIssuer(issuer, digests)) {
          return single;
        }
      } catch (OCSPException e) {
        // An unsupported hash in someone else's CertID: not our entry.
      }
    }
    throw new RevocationCheckException("OCSP response does not cover the certificate");
  }

  private static void rejectCriticalExtensions(
      java.util.Set<?> criticalOids, String where, boolean isResponse)
      throws RevocationCheckException {
    for (Object o : criticalOids) {
      ASN1ObjectIdentifier oid = (ASN1ObjectIdentifier) o;
      // The nonce is understood (though not required) at response level.
      if (isResponse && OCSPObjectIdentifiers.id_pkix_ocsp_nonce.equals(oid)) {
        continue;
      }
      throw new RevocationCheckException(
          "unsupported critical extension " + oid + " in OCSP " + where);
    }
  }

  private void verifySigner(BasicOCSPResp basic, X509CertificateHolder issuer)
      throws RevocationCheckException {
    RespID responder = basic.getResponderId();
    if (identifies(responder, issuer)) {
      if (!signatureValid(basic, issuer)) {
        throw new RevocationCheckException("bad OCSP signature: not signed by the issuer");
      }
      return;
    }
    X509CertificateHolder delegate = null;
    for (X509CertificateHolder candidate : basic.getCerts()) {
      if (identifies(responder, candidate)) {
        delegate = candidate;
        break;
      }
    }
    if (delegate == null) {
      throw new RevocationCheckException(
          "OCSP response is signed neither by the issuer nor by an included responder certificate");
    }
    if (!delegate.getIssuer().equals(issuer.getSubject()) || !signedBy(delegate, issuer)) {
      throw new RevocationCheckException(
          "bad signature on embedded certificate: the OCSP responder certificate is not issued by"
              + " the certificate's issuer");
    }
    ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(delegate.getExtensions());
    if (eku == null || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
      throw new RevocationCheckException(
          "the OCSP responder certificate does not have the OCSPSigning extended key usage");
    }
    if (!delegate.isValidOn(Date.from(clock.instant()))) {
      throw new RevocationCheckException("the OCSP responder certificate is not valid now");
    }
    if (!signatureValid(basic, delegate)) {
      throw new RevocationCheckException("bad OCSP signature: not signed by the responder");
    }
  }

  private boolean identifies(RespID responder, X509CertificateHolder cert) {
    if (new RespID(cert.getSubject()).equals(responder)) {
      return true;
    }
    try {
      return new RespID(cert.getSubjectPublicKeyInfo(), digests.get(RespID.HASH_SHA1))
          .equals(responder);
    } catch (OCSPException | OperatorCreationException e) {
      return false;
    }
  }

  private static boolean signatureValid(BasicOCSPResp basic, X509CertificateHolder signer) {
    try {
      return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer));
    } catch (OCSPException
        | OperatorCreationException
        | java.security.cert.CertificateException
        | RuntimeException e) {
      return false;
    }
  }

  private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
    try {
      return cert.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer));
    } catch (Exception e) {
      return false;
    }
  }

  static X509CertificateHolder holder(X509Certificate cert) throws RevocationCheckException {
    try {
      return new X509CertificateHolder(cert.getEncoded());
    } catch (CertificateEncodingException | IOException e) {
      throw new RevocationCheckException("cannot encode certificate: " + e.getMessage());
    }
  }
}
