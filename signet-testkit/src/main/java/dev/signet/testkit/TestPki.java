package dev.signet.testkit;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds test certificates with BouncyCastle: roots, intermediates, code-signing and timestamping
 * leaves, with every extension under the test's control.
 *
 * <pre>{@code
 * TestPki.Issued root = TestPki.root("CN=Root,O=Test,ST=WA,C=US");
 * TestPki.Issued leaf = TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US").issuedBy(root);
 * }</pre>
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1000);
  private static final Instant DEFAULT_NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant DEFAULT_NOT_AFTER = Instant.parse("2120-01-01T00:00:00Z");

  private TestPki() {}

  /** A certificate with its key pair. */
  public record Issued(X509Certificate certificate, KeyPair keyPair) {
    public PrivateKey privateKey() {
      return keyPair.getPrivate();
    }
  }

  /** Key algorithms and sizes. */
  public enum KeyType {
    RSA_2048("RSA", 2048, null),
    RSA_3072("RSA", 3072, null),
    RSA_4096("RSA", 4096, null),
    RSA_1024("RSA", 1024, null),
    EC_P256("EC", 0, "secp256r1"),
    EC_P384("EC", 0, "secp384r1"),
    EC_P521("EC", 0, "secp521r1"),
    EC_P224("EC", 0, "secp224r1");

    final String algorithm;
    final int bits;
    final String curve;

    KeyType(String algorithm, int bits, String curve) {
      this.algorithm = algorithm;
      this.bits = bits;
      this.curve = curve;
    }

    public KeyPair generate() {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (curve != null) {
          g.initialize(new ECGenParameterSpec(curve));
        } else {
          g.initialize(bits);
        }
        return g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // Key generation is the slow part of tests; one cached pair per type is enough for most cases.
  private static final java.util.Map<KeyType, KeyPair> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A shared key pair of this type (generated once per test JVM). */
  public static KeyPair sharedKey(KeyType type) {
    return KEYS.computeIfAbsent(type, KeyType::generate);
  }

  /** A self-signed CA: basicConstraints CA (critical), keyUsage keyCertSign+cRLSign (critical). */
  public static Builder root(String subject) {
    return new Builder(subject).ca(true).keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
  }

  /** An intermediate CA; call {@link Builder#issuedBy}. */
  public static Builder intermediate(String subject) {
    return root(subject);
  }

  /** A code-signing leaf: keyUsage digitalSignature (critical), EKU codeSigning. */
  public static Builder leaf(String subject) {
    return new Builder(subject)
        .keyUsage(KeyUsage.digitalSignature)
        .extendedKeyUsage(false, KeyPurposeId.id_kp_codeSigning);
  }

  /** A timestamping leaf: keyUsage digitalSignature, EKU timeStamping (critical). */
  public static Builder tsaLeaf(String subject) {
    return new Builder(subject)
        .keyUsage(KeyUsage.digitalSignature)
        .extendedKeyUsage(true, KeyPurposeId.id_kp_timeStamping);
  }

  /** Fluent certificate builder; every setting has a sensible default. */
  public static final class Builder {
    private final String subject;
    private KeyPair keyPair;
    private KeyType keyType = KeyType.RSA_2048;
    private Instant notBefore = DEFAULT_NOT_BEFORE;
    private Instant notAfter = DEFAULT_NOT_AFTER;
    private Boolean ca;
    private boolean basicConstraintsCritical = true;
    private Integer pathLen;
    private Integer keyUsage;
    private boolean keyUsageCritical = true;
    private KeyPurposeId[] eku;
    private boolean ekuCritical;
    private String signatureAlgorithm;
    private final List<String> ocspUrls = new ArrayList<>();
    private final List<String> crlUrls = new ArrayList<>();
    private BigInteger serial;

    private Builder(String subject) {
      this.subject = subject;
    }

    public Builder keyType(KeyType type) {
      this.keyType = type;
      return this;
    }

    public Builder keyPair(KeyPair pair) {
      this.keyPair = pair;
      return this;
    }

    public Builder validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** Sets basicConstraints; {@code null} omits the extension. */
    public Builder ca(Boolean isCa) {
      this.ca = isCa;
      return this;
    }

    public Builder basicConstraintsCritical(boolean critical) {
      this.basicConstraintsCritical = critical;
      return this;
    }

    public Builder pathLen(Integer len) {
      this.pathLen = len;
      return this;
    }

    /** Sets keyUsage bits ({@link KeyUsage} constants); {@code null} omits the extension. */
    public Builder keyUsage(Integer bits) {
      this.keyUsage = bits;
      return this;
    }

    public Builder keyUsageCritical(boolean critical) {
      this.keyUsageCritical = critical;
      return this;
    }

    /** Sets the EKU; no purposes omits the extension. */
    public Builder extendedKeyUsage(boolean critical, KeyPurposeId... purposes) {
      this.ekuCritical = critical;
      this.eku = purposes.length == 0 ? null : purposes;
      return this;
    }

    public Builder ocsp(String url) {
      ocspUrls.add(url);
      return this;
    }

    public Builder crl(String url) {
      crlUrls.add(url);
      return this;
    }

    public Builder serial(BigInteger s) {
      this.serial = s;
      return this;
    }

    /** JCA signature algorithm for the certificate signature (default by issuer key). */
    public Builder signatureAlgorithm(String alg) {
      this.signatureAlgorithm = alg;
      return this;
    }

    public Issued selfSigned() {
      KeyPair pair = keyPair != null ? keyPair : sharedOrNew();
      return build(pair, new X500Principal(subject), pair.getPrivate());
    }

    public Issued issuedBy(Issued issuer) {
      KeyPair pair = keyPair != null ? keyPair : sharedOrNew();
      return build(pair, issuer.certificate().getSubjectX500Principal(), issuer.privateKey());
    }

    private KeyPair sharedOrNew() {
      // Distinct keys per certificate, so that a wrong issuer can never verify by accident.
      return keyType.generate();
    }

    private Issued build(KeyPair pair, X500Principal issuer, PrivateKey signingKey) {
      try {
        JcaX509v3CertificateBuilder b =
            new JcaX509v3CertificateBuilder(
                issuer,
                serial != null ? serial : BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Principal(subject),
                pair.getPublic());
        if (ca != null) {
          BasicConstraints bc =
              ca && pathLen != null ? new BasicConstraints(pathLen) : new BasicConstraints(ca);
          b.addExtension(Extension.basicConstraints, basicConstraintsCritical, bc);
        }
        if (keyUsage != null) {
          b.addExtension(Extension.keyUsage, keyUsageCritical, new KeyUsage(keyUsage));
        }
        if (eku != null) {
          b.addExtension(Extension.extendedKeyUsage, ekuCritical, new ExtendedKeyUsage(eku));
        }
        if (!ocspUrls.isEmpty()) {
          AccessDescription[] ads =
              ocspUrls.stream()
                  .map(
                      u ->
                          new AccessDescription(
                              AccessDescription.id_ad_ocsp,
                              new GeneralName(GeneralName.uniformResourceIdentifier, u)))
                  .toArray(AccessDescription[]::new);
          b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(ads));
        }
        if (!crlUrls.isEmpty()) {
          b.addExtension(Extension.cRLDistributionPoints, false, TestCrl.distributionPoints(crlUrls));
        }
        String alg = signatureAlgorithm != null ? signatureAlgorithm : TestPki.signatureAlgorithm(signingKey);
        ContentSigner signer = new JcaContentSignerBuilder(alg).build(signingKey);
        X509CertificateHolder holder = b.build(signer);
        return new Issued(new JcaX509CertificateConverter().getCertificate(holder), pair);
      } catch (Exception e) {
        throw new IllegalStateException("could not build test certificate " + subject, e);
      }
    }
  }

  /** The signature algorithm tests sign with for {@code key}: SHA-256 with ECDSA or RSA. */
  public static String signatureAlgorithm(PrivateKey key) {
    return key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
  }

  /** Adds an extension OID helper for tests that need unusual extensions. */
  public static ASN1ObjectIdentifier oid(String dotted) {
    return new ASN1ObjectIdentifier(dotted);
  }

  /** Today-relative validity helpers. */
  public static Instant daysFromNow(long days) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(days, ChronoUnit.DAYS);
  }
}
