package dev.signet.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Server and client certificates for TLS tests, written as PEM, and JDK clients that use them. */
public final class TestTls {
  private TestTls() {}

  /** A CA that issues server and client certificates. */
  public static TestPki.Issued ca(String name) {
    return TestPki.root("CN=" + name + ",O=Signet Test").selfSigned();
  }

  /** A server certificate for {@code localhost} (the JDK matches the CN when there is no SAN). */
  public static TestPki.Issued server(TestPki.Issued ca) {
    return TestPki.leaf("CN=localhost,O=Signet Test")
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        .extendedKeyUsage(false, KeyPurposeId.id_kp_serverAuth)
        .issuedBy(ca);
  }

  /** A client certificate as Gatekeeper presents one. */
  public static TestPki.Issued client(TestPki.Issued ca) {
    return TestPki.leaf("CN=gatekeeper-webhook,O=Signet Test")
        .keyUsage(KeyUsage.digitalSignature)
        .extendedKeyUsage(false, KeyPurposeId.id_kp_clientAuth)
        .issuedBy(ca);
  }

  /** Writes tls.crt (leaf then CA) and tls.key (PKCS#8, or PKCS#1 for RSA when asked). */
  public static void write(Path dir, TestPki.Issued leaf, TestPki.Issued ca, boolean pkcs1) throws Exception {
    Files.createDirectories(dir);
    Path crt = dir.resolve("tls.crt.tmp");
    Path key = dir.resolve("tls.key.tmp");
    Files.writeString(crt, pem(leaf.certificate()) + pem(ca.certificate()));
    StringWriter k = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(k)) {
      if (pkcs1) {
        w.writeObject(leaf.privateKey()); // "RSA PRIVATE KEY" for RSA keys
      } else {
        w.writeObject(new JcaPKCS8Generator(leaf.privateKey(), null));
      }
    }
    Files.writeString(key, k.toString());
    Files.move(key, dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(crt, dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** {@code object} (a certificate, a key, a CSR) in PEM, as OpenSSL writes it. */
  public static String pem(Object object) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  public static Path writeCa(Path file, TestPki.Issued ca) throws Exception {
    Files.writeString(file, pem(ca.certificate()));
    return file;
  }

  /** A client trusting {@code trusted} CAs, presenting {@code identity} when not null. */
  public static HttpClient client(TestPki.Issued identity, String protocol, TestPki.Issued... trusted) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(context(identity, trusted))
        .sslParameters(protocol == null ? new SSLParameters() : new SSLParameters(null, new String[] {protocol}))
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public static SSLContext context(TestPki.Issued identity, TestPki.Issued... trusted) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < trusted.length; i++) {
      trust.setCertificateEntry("ca" + i, trusted[i].certificate());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (identity != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "client", identity.privateKey(), "x".toCharArray(), new Certificate[] {identity.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "x".toCharArray());
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * TLS for local HTTPS fixtures: a self-signed certificate for 127.0.0.1 and localhost, the server
   * context that presents it, a client context that trusts only it, and its PEM file.
   */
  public record Loopback(SSLContext server, SSLContext client, Path caFile) {}

  /** A {@link Loopback} whose certificate is named {@code name}; its PEM file goes to {@code dir}. */
  public static Loopback loopback(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = ec.generateKeyPair();
    X509Certificate cert = selfSigned(key, "CN=localhost,O=" + name, "SHA256withECDSA", true);
    Path caFile = dir.resolve(name.replaceAll("[^A-Za-z0-9]", "-") + "-ca.pem");
    Files.writeString(caFile, pem("CERTIFICATE", cert.getEncoded()));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("tls", key.getPrivate(), new char[0], new java.security.cert.Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    return new Loopback(server, client, caFile);
  }

  /** A self-signed certificate; with {@code tls} it names 127.0.0.1 and localhost. */
  public static X509Certificate selfSigned(KeyPair kp, String dn, String alg, boolean tls) throws Exception {
    X500Name name = new X500Name(dn);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, kp.getPublic());
    if (tls) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder(alg).build(kp.getPrivate())));
  }

  /** {@code der} in PEM under {@code type} ("CERTIFICATE", "PUBLIC KEY", ...). */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
