package dev.signet.testkit;

// RFC 6960: OCSP requests over GET (base64 in the path) and POST, basic responses.

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An OCSP responder (mount {@link #handle} on a {@link LocalHttpServer} route): answers for the
 * requested CertID with the status configured per serial (default good), signed by {@code
 * signerKey}; the responder ID names {@code signerCert}, which is included unless it is the issuer.
 */
public final class OcspResponder {
  public final Map<BigInteger, CertificateStatus> statuses = new ConcurrentHashMap<>();
  public final Map<BigInteger, Instant> invalidity = new ConcurrentHashMap<>();
  public volatile X509Certificate signerCert;
  public volatile PrivateKey signerKey;
  public volatile boolean includeSigner = true;
  public volatile Instant now;
  public volatile boolean omitNextUpdate;
  public volatile ASN1ObjectIdentifier criticalSingleExtension;
  public volatile int padBytes;
  public volatile int requests;
  public volatile String lastMethod;

  public OcspResponder(X509Certificate signerCert, PrivateKey signerKey, Instant now) {
    this.signerCert = signerCert;
    this.signerKey = signerKey;
    this.now = now;
  }

  public void revoke(BigInteger serial, Instant at, Instant invalidityDate) {
    statuses.put(serial, new RevokedStatus(Date.from(at), CRLReason.keyCompromise));
    if (invalidityDate != null) {
      invalidity.put(serial, invalidityDate);
    }
  }

  public void unknown(BigInteger serial) {
    statuses.put(serial, new UnknownStatus());
  }

  public void handle(HttpExchange ex) throws IOException {
    requests++;
    lastMethod = ex.getRequestMethod();
    byte[] reqBytes;
    if ("POST".equals(ex.getRequestMethod())) {
      reqBytes = ex.getRequestBody().readAllBytes();
    } else {
      String path = ex.getRequestURI().getRawPath();
      String last = path.substring(path.lastIndexOf('/') + 1);
      reqBytes = Base64.getDecoder().decode(URLDecoder.decode(last, StandardCharsets.UTF_8));
    }
    LocalHttpServer.respond(ex, 200, respond(new OCSPReq(reqBytes)));
  }

  public byte[] respond(OCSPReq request) {
    try {
      X509CertificateHolder signer = holder(signerCert);
      BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(signer.getSubject()));
      for (Req r : request.getRequestList()) {
        CertificateID id = r.getCertID();
        ExtensionsGenerator g = new ExtensionsGenerator();
        Instant inv = invalidity.get(id.getSerialNumber());
        if (inv != null) {
          g.addExtension(
              Extension.invalidityDate, false, new ASN1GeneralizedTime(Date.from(inv)));
        }
        if (criticalSingleExtension != null) {
          g.addExtension(criticalSingleExtension, true, new DERUTF8String("x"));
        }
        if (padBytes > 0) {
          g.addExtension(
              new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"),
              false,
              new DERUTF8String("p".repeat(padBytes)));
        }
        b.addResponse(
            id,
            statuses.getOrDefault(id.getSerialNumber(), CertificateStatus.GOOD),
            Date.from(now.minusSeconds(60)),
            omitNextUpdate ? null : Date.from(now.plusSeconds(3600)),
            g.isEmpty() ? null : g.generate());
      }
      X509CertificateHolder[] chain =
          includeSigner ? new X509CertificateHolder[] {signer} : new X509CertificateHolder[0];
      var basic =
          b.build(
              new JcaContentSignerBuilder(TestPki.signatureAlgorithm(signerKey)).build(signerKey),
              chain,
              Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An OCSP response with only {@code status} (RFC 6960 OCSPResponseStatus), no body. */
  public static byte[] statusOnly(int status) throws IOException {
    try {
      OCSPResp r = new OCSPRespBuilder().build(status, null);
      return r.getEncoded();
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private static X509CertificateHolder holder(X509Certificate c) {
    try {
      return new X509CertificateHolder(c.getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
