package dev.signet.cli.demo;

// Certificates shaped for the Notary Project code-signing chain rules (signing-and-verification
// spec, "Certificate Requirements"): a CA with critical basicConstraints and keyCertSign, a leaf
// with a critical digitalSignature-only keyUsage and the codeSigning EKU.

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority and the signing identities it issues, made in memory for the demo. */
final class DemoPki {
  /** A certificate with its private key. */
  record Identity(X509Certificate certificate, PrivateKey privateKey) {}

  private final Identity ca;
  private final Instant now;
  private final SecureRandom random = new SecureRandom();

  private DemoPki(Identity ca, Instant now) {
    this.ca = ca;
    this.now = now;
  }

  /** A new self-signed CA named {@code commonName}, valid from an hour before {@code now}. */
  static DemoPki create(String commonName, Instant now) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X500Principal name = new X500Principal("CN=" + commonName + ",O=Signet Demo,ST=WA,C=US");
    DemoPki pki = new DemoPki(null, now);
    X509Certificate cert = pki.certificate(name, keys, name, keys.getPrivate(), true, false);
    return new DemoPki(new Identity(cert, keys.getPrivate()), now);
  }

  X509Certificate caCertificate() {
    return ca.certificate();
  }

  /** A code-signing leaf for {@code commonName}, issued by this CA. */
  Identity issueSigner(String commonName) throws GeneralSecurityException {
    return issue(commonName, false);
  }

  /**
   * A TLS server certificate for the loopback interface ({@code localhost} and {@code 127.0.0.1}
   * as subject alternative names), issued by this CA, for the demo's HTTPS listener.
   */
  Identity issueServer(String commonName) throws GeneralSecurityException {
    return issue(commonName, true);
  }

  private Identity issue(String commonName, boolean tlsServer) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X509Certificate cert =
        certificate(
            new X500Principal("CN=" + commonName + ",O=Signet Demo,ST=WA,C=US"),
            keys,
            ca.certificate().getSubjectX500Principal(),
            ca.privateKey(),
            false,
            tlsServer);
    return new Identity(cert, keys.getPrivate());
  }

  private X509Certificate certificate(
      X500Principal subject,
      KeyPair keys,
      X500Principal issuer,
      PrivateKey issuerKey,
      boolean isCa,
      boolean tlsServer)
      throws GeneralSecurityException {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, random).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(isCa ? 30 : 7))),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else if (tlsServer) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build the demo certificate " + subject, e);
    }
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}
