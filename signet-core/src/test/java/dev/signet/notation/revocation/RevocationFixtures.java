package dev.signet.notation.revocation;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
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

/** Test CRLs and OCSP responses made with BouncyCastle. */
final class RevocationFixtures {
  private RevocationFixtures() {}

  static String alg(PrivateKey key) {
    return key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
  }

  static X509CertificateHolder holder(X509Certificate c) {
    try {
      return new X509CertificateHolder(c.getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fluent CRL builder. */
  static final class Crl {
    private final X500Name issuer;
    private final PrivateKey key;
    private Instant thisUpdate;
    private Instant nextUpdate;
    private BigInteger number = BigInteger.ONE;
    private BigInteger deltaIndicator;
    private final List<String> freshest = new ArrayList<>();
    private final List<Object[]> entries = new ArrayList<>();
    private final List<Object[]> extensions = new ArrayList<>();

    Crl(X509Certificate issuerCert, PrivateKey key, Instant now) {
      this.issuer = X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());
      this.key = key;
      this.thisUpdate = now.minusSeconds(3600);
      this.nextUpdate = now.plusSeconds(86400);
    }

    Crl updates(Instant thisUpdate, Instant nextUpdate) {
      this.thisUpdate = thisUpdate;
      this.nextUpdate = nextUpdate;
      return this;
    }

    Crl number(long n) {
      this.number = BigInteger.valueOf(n);
      return this;
    }

    Crl delta(long baseNumber) {
      this.deltaIndicator = BigInteger.valueOf(baseNumber);
      return this;
    }

    Crl freshest(String url) {
      freshest.add(url);
      return this;
    }

    Crl extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
      extensions.add(new Object[] {oid, critical, value});
      return this;
    }

    Crl revoke(BigInteger serial, Instant at) {
      return revoke(serial, at, null, null, null);
    }

    /**
     * @param extraCritical an unknown critical entry extension OID, or null
     */
    Crl revoke(
        BigInteger serial,
        Instant at,
        Integer reason,
        Instant invalidity,
        ASN1ObjectIdentifier extraCritical) {
      entries.add(new Object[] {serial, at, reason, invalidity, extraCritical});
      return this;
    }

    byte[] build() {
      try {
        X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
        if (nextUpdate != null) {
          b.setNextUpdate(Date.from(nextUpdate));
        }
        b.addExtension(Extension.cRLNumber, false, new ASN1Integer(number));
        if (deltaIndicator != null) {
          b.addExtension(Extension.deltaCRLIndicator, true, new ASN1Integer(deltaIndicator));
        }
        if (!freshest.isEmpty()) {
          b.addExtension(Extension.freshestCRL, false, distPoints(freshest));
        }
        for (Object[] e : extensions) {
          b.addExtension((ASN1ObjectIdentifier) e[0], (Boolean) e[1], (ASN1Encodable) e[2]);
        }
        for (Object[] e : entries) {
          ExtensionsGenerator g = new ExtensionsGenerator();
          if (e[2] != null) {
            g.addExtension(Extension.reasonCode, false, CRLReason.lookup((Integer) e[2]));
          }
          if (e[3] != null) {
            g.addExtension(
                Extension.invalidityDate,
                false,
                new ASN1GeneralizedTime(Date.from((Instant) e[3])));
          }
          if (e[4] != null) {
            g.addExtension((ASN1ObjectIdentifier) e[4], true, new DERUTF8String("x"));
          }
          Extensions exts = g.isEmpty() ? null : g.generate();
          b.addCRLEntry((BigInteger) e[0], Date.from((Instant) e[1]), exts);
        }
        return b.build(new JcaContentSignerBuilder(alg(key)).build(key)).getEncoded();
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  static CRLDistPoint distPoints(List<String> urls) {
    return new CRLDistPoint(
        urls.stream()
            .map(
                u ->
                    new DistributionPoint(
                        new DistributionPointName(
                            new GeneralNames(
                                new GeneralName(GeneralName.uniformResourceIdentifier, u))),
                        null,
                        null))
            .toArray(DistributionPoint[]::new));
  }

  /**
   * An OCSP responder: answers for the requested CertID with the status configured per serial
   * (default good), signed by {@code signerKey}; the responder ID names {@code signerCert}, which
   * is included unless it is the issuer.
   */
  static final class Responder {
    final Map<BigInteger, CertificateStatus> statuses = new ConcurrentHashMap<>();
    final Map<BigInteger, Instant> invalidity = new ConcurrentHashMap<>();
    volatile X509Certificate signerCert;
    volatile PrivateKey signerKey;
    volatile boolean includeSigner = true;
    volatile Instant now;
    volatile boolean omitNextUpdate;
    volatile ASN1ObjectIdentifier criticalSingleExtension;
    volatile int padBytes;
    volatile int requests;
    volatile String lastMethod;

    Responder(X509Certificate signerCert, PrivateKey signerKey, Instant now) {
      this.signerCert = signerCert;
      this.signerKey = signerKey;
      this.now = now;
    }

    void revoke(BigInteger serial, Instant at, Instant invalidityDate) {
      statuses.put(serial, new RevokedStatus(Date.from(at), CRLReason.keyCompromise));
      if (invalidityDate != null) {
        invalidity.put(serial, invalidityDate);
      }
    }

    void unknown(BigInteger serial) {
      statuses.put(serial, new UnknownStatus());
    }

    void handle(HttpExchange ex) throws IOException {
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
      RevocationTestServer.respond(ex, 200, respond(new OCSPReq(reqBytes)));
    }

    byte[] respond(OCSPReq request) {
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
                new JcaContentSignerBuilder(alg(signerKey)).build(signerKey),
                chain,
                Date.from(now));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static byte[] ocspStatusOnly(int status) throws IOException {
    try {
      OCSPResp r = new OCSPRespBuilder().build(status, null);
      return r.getEncoded();
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
