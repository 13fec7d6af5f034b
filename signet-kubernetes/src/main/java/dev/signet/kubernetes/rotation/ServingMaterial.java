package dev.signet.kubernetes.rotation;

// The Secret's layout is the one Ratify's chart and Signet's chart write: ca.crt, ca.key, tls.crt,
// tls.key (PEM). ca.crt is the CA bundle clients trust: the current CA first, then the CA it
// replaced while certificates it signed may still be served.

import dev.signet.tls.KeyBinding;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA, the serving certificate it signed, and the CA bundle clients trust.
 *
 * @param bundle the CA certificates to trust, the current CA first
 */
public record ServingMaterial(
    X509Certificate ca,
    PrivateKey caKey,
    List<X509Certificate> bundle,
    X509Certificate certificate,
    PrivateKey key) {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String CERT = "tls.crt";
  public static final String KEY = "tls.key";
  private static final int MAX_PEM_CHARS = 256 * 1024;
  /** Certificates start a little in the past, so that a clock slightly behind still accepts them. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  public ServingMaterial {
    bundle = List.copyOf(bundle);
  }

  /**
   * A new CA and a serving certificate for the DNS names, both valid from {@code now} for {@code
   * validity}; the bundle is the new CA followed by {@code previous} CAs still valid at {@code now}.
   */
  public static ServingMaterial issue(
      String commonName, List<String> dnsNames, Instant now, Duration validity, List<X509Certificate> previous) {
    try {
      KeyPair caPair = ecKeyPair();
      KeyPair leafPair = ecKeyPair();
      Date from = Date.from(now.minus(BACKDATE));
      Date to = Date.from(now.plus(validity));
      X500Name caName = new X500Name("O=Signet,CN=" + commonName + " CA " + now.getEpochSecond());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      org.bouncycastle.cert.X509v3CertificateBuilder caBuilder =
          new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName, caPair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caPair.getPublic()));
      X509Certificate ca = sign(caBuilder, caPair.getPrivate());
      GeneralName[] names =
          dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
      org.bouncycastle.cert.X509v3CertificateBuilder leafBuilder =
          new JcaX509v3CertificateBuilder(
                  ca, serial(), from, to, new X500Name("CN=" + commonName), leafPair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
              .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
      X509Certificate leaf = sign(leafBuilder, caPair.getPrivate());
      List<X509Certificate> bundle = new ArrayList<>(List.of(ca));
      previous.stream().filter(c -> c.getNotAfter().toInstant().isAfter(now)).forEach(bundle::add);
      return new ServingMaterial(ca, caPair.getPrivate(), bundle, leaf, leafPair.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a serving certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a Secret's data (base64 values, as the API gives them).
   *
   * @throws IllegalArgumentException naming the key that is missing or malformed
   */
  public static ServingMaterial fromSecretData(Map<String, String> data) {
    if (data == null) {
      throw new IllegalArgumentException("the Secret has no data");
    }
    List<X509Certificate> bundle = certificates(decoded(data, CA_CERT), CA_CERT);
    List<X509Certificate> chain = certificates(decoded(data, CERT), CERT);
    if (bundle.isEmpty() || chain.isEmpty()) {
      throw new IllegalArgumentException("the Secret's " + (bundle.isEmpty() ? CA_CERT : CERT) + " holds no certificate");
    }
    return new ServingMaterial(
        bundle.get(0), privateKey(decoded(data, CA_KEY), CA_KEY), bundle, chain.get(0),
        privateKey(decoded(data, KEY), KEY));
  }

  /** The Secret's data (base64 values). */
  public Map<String, String> secretData() {
    Map<String, String> data = new HashMap<>();
    data.put(CA_CERT, base64(bundlePem()));
    data.put(CA_KEY, base64(pem(caKey)));
    data.put(CERT, base64(certificatePem()));
    data.put(KEY, base64(keyPem()));
    return data;
  }

  /** The CA bundle as PEM, the current CA first. */
  public String bundlePem() {
    StringBuilder out = new StringBuilder();
    bundle.forEach(c -> out.append(pem(c)));
    return out.toString();
  }

  public String certificatePem() {
    return pem(certificate);
  }

  public String keyPem() {
    return pem(key);
  }

  /**
   * Why this material cannot serve at {@code now} for the DNS names, or null when it can until at
   * least {@code now + lead}.
   */
  public String unusableReason(Instant now, Duration lead, List<String> dnsNames) {
    try {
      certificate.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return "tls.crt is not signed by the first CA of ca.crt";
    }
    if (!matches(caKey, ca) || !matches(key, certificate)) {
      return "a key does not belong to its certificate";
    }
    if (ca.getBasicConstraints() < 0) {
      return "the first certificate of ca.crt is not a CA";
    }
    List<String> names = dnsNames(certificate);
    List<String> missing = dnsNames.stream().filter(n -> !names.contains(n)).toList();
    if (!missing.isEmpty()) {
      return "tls.crt does not name " + String.join(", ", missing);
    }
    if (now.isBefore(certificate.getNotBefore().toInstant()) || now.isBefore(ca.getNotBefore().toInstant())) {
      return "the certificates are not valid yet";
    }
    Instant renewAt = expiry().minus(lead);
    if (!now.isBefore(renewAt)) {
      return "the certificates expire at " + expiry() + ", within the rotation lead time " + lead;
    }
    return null;
  }

  /** When the first of the CA and the serving certificate expires. */
  public Instant expiry() {
    Instant leaf = certificate.getNotAfter().toInstant();
    Instant root = ca.getNotAfter().toInstant();
    return leaf.isBefore(root) ? leaf : root;
  }

  private static List<String> dnsNames(X509Certificate cert) {
    try {
      var sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return List.of();
      }
      return sans.stream().filter(n -> Integer.valueOf(GeneralName.dNSName).equals(n.get(0)))
          .map(n -> n.get(1).toString()).toList();
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  private static boolean matches(PrivateKey key, X509Certificate cert) {
    try {
      return KeyBinding.belongs(key, cert);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(128, new SecureRandom()).setBit(127);
  }

  private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static String decoded(Map<String, String> data, String name) {
    String value = data.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("the Secret has no " + name);
    }
    if (value.length() > MAX_PEM_CHARS * 2) {
      throw new IllegalArgumentException("the Secret's " + name + " is too large");
    }
    try {
      return new String(Base64.getMimeDecoder().decode(value), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the Secret's " + name + " is not base64", e);
    }
  }

  private static List<Object> pemObjects(String text, String name) {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the Secret's " + name + " is not valid PEM", e);
    }
    return objects;
  }

  private static List<X509Certificate> certificates(String pem, String name) {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> out = new ArrayList<>();
    for (Object o : pemObjects(pem, name)) {
      if (o instanceof X509CertificateHolder holder) {
        try {
          out.add(converter.getCertificate(holder));
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException("the Secret's " + name + " holds an invalid certificate", e);
        }
      }
    }
    return out;
  }

  private static PrivateKey privateKey(String pem, String name) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    for (Object o : pemObjects(pem, name)) {
      try {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("the Secret's " + name + " holds an unusable key", e);
      }
    }
    throw new IllegalArgumentException("the Secret's " + name + " holds no unencrypted private key");
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      if (object instanceof PrivateKey k) {
        // PKCS#8 as encoded: the SEC1 form BouncyCastle would write may lose the curve.
        w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", k.getEncoded()));
      } else {
        w.writeObject(object);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
