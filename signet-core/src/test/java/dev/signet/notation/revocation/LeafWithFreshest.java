package dev.signet.notation.revocation;

import dev.signet.testkit.TestCrl;
import dev.signet.testkit.TestPki;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A leaf with CRL distribution points and a FreshestCRL extension, which TestPki cannot make. */
final class LeafWithFreshest {
  private LeafWithFreshest() {}

  static X509Certificate issue(TestPki.Issued issuer, String crl, String freshest) {
    try {
      var pair = TestPki.KeyType.EC_P256.generate();
      var b =
          new JcaX509v3CertificateBuilder(
              issuer.certificate().getSubjectX500Principal(),
              BigInteger.valueOf(987654),
              Date.from(Instant.parse("2020-01-01T00:00:00Z")),
              Date.from(Instant.parse("2120-01-01T00:00:00Z")),
              new X500Principal("CN=Fresh,O=Test,ST=WA,C=US"),
              pair.getPublic());
      b.addExtension(
          Extension.cRLDistributionPoints, false, TestCrl.distributionPoints(List.of(crl)));
      b.addExtension(
          Extension.freshestCRL, false, TestCrl.distributionPoints(List.of(freshest)));
      var holder =
          b.build(
              new JcaContentSignerBuilder(TestPki.signatureAlgorithm(issuer.privateKey()))
                  .build(issuer.privateKey()));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
