package dev.signet.testkit;

// RFC 5280 §5: X.509 v2 CRLs, with CRL number, delta indicator, freshest CRL and entry extensions.

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds a CRL signed by an issuer's key: by default valid from an hour before {@code now} until a
 * day after it, CRL number 1, nothing revoked.
 */
public final class TestCrl {
  private final X500Name issuer;
  private final PrivateKey key;
  private Instant thisUpdate;
  private Instant nextUpdate;
  private BigInteger number = BigInteger.ONE;
  private BigInteger deltaIndicator;
  private final List<String> freshest = new ArrayList<>();
  private final List<Object[]> entries = new ArrayList<>();
  private final List<Object[]> extensions = new ArrayList<>();

  public TestCrl(X509Certificate issuerCert, PrivateKey key, Instant now) {
    this.issuer = X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());
    this.key = key;
    this.thisUpdate = now.minusSeconds(3600);
    this.nextUpdate = now.plusSeconds(86400);
  }

  public TestCrl updates(Instant thisUpdate, Instant nextUpdate) {
    this.thisUpdate = thisUpdate;
    this.nextUpdate = nextUpdate;
    return this;
  }

  public TestCrl number(long n) {
    this.number = BigInteger.valueOf(n);
    return this;
  }

  public TestCrl delta(long baseNumber) {
    this.deltaIndicator = BigInteger.valueOf(baseNumber);
    return this;
  }

  public TestCrl freshest(String url) {
    freshest.add(url);
    return this;
  }

  public TestCrl extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    extensions.add(new Object[] {oid, critical, value});
    return this;
  }

  public TestCrl revoke(BigInteger serial, Instant at) {
    return revoke(serial, at, null, null, null);
  }

  /**
   * @param extraCritical an unknown critical entry extension OID, or null
   */
  public TestCrl revoke(
      BigInteger serial,
      Instant at,
      Integer reason,
      Instant invalidity,
      ASN1ObjectIdentifier extraCritical) {
    entries.add(new Object[] {serial, at, reason, invalidity, extraCritical});
    return this;
  }

  public byte[] build() {
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
        b.addExtension(Extension.freshestCRL, false, distributionPoints(freshest));
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
      return b.build(new JcaContentSignerBuilder(TestPki.signatureAlgorithm(key)).build(key)).getEncoded();
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * A CRL from {@code issuer}, valid from an hour ago until a day from now, listing {@code revoked}
   * (reason keyCompromise, revoked a day ago).
   */
  public static byte[] revoking(TestPki.Issued issuer, BigInteger... revoked) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    TestCrl crl = new TestCrl(issuer.certificate(), issuer.privateKey(), now);
    for (BigInteger serial : revoked) {
      crl.revoke(serial, now.minus(1, ChronoUnit.DAYS), CRLReason.keyCompromise, null, null);
    }
    return crl.build();
  }

  /** A CRL distribution points extension value naming {@code urls}. */
  public static CRLDistPoint distributionPoints(List<String> urls) {
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
}
