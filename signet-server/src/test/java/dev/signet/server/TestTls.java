package dev.signet.server;

import dev.signet.testkit.TestPki;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Server and client certificates for TLS tests, written as PEM, and JDK clients that use them. */
final class TestTls {
  private TestTls() {}

  /** A CA that issues server and client certificates. */
  static TestPki.Issued ca(String name) {
    return TestPki.root("CN=" + name + ",O=Signet Test").selfSigned();
  }

  /** A server certificate for {@code localhost} (the JDK matches the CN when there is no SAN). */
  static TestPki.Issued server(TestPki.Issued ca) {
    return TestPki.leaf("CN=localhost,O=Signet Test")
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        .extendedKeyUsage(false, KeyPurposeId.id_kp_serverAuth)
        .issuedBy(ca);
  }

  /** A client certificate as Gatekeeper presents one. */
  static TestPki.Issued client(TestPki.Issued ca) {
    return TestPki.leaf("CN=gatekeeper-webhook,O=Signet Test")
        .keyUsage(KeyUsage.digitalSignature)
        .extendedKeyUsage(false, KeyPurposeId.id_kp_clientAuth)
        .issuedBy(ca);
  }

  /** Writes tls.crt (leaf then CA) and tls.key (PKCS#8, or PKCS#1 for RSA when asked). */
  static void write(Path dir, TestPki.Issued leaf, TestPki.Issued ca, boolean pkcs1) throws Exception {
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

  static String pem(Object object) throws Exception {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(object);
    }
    return s.toString();
  }

  static Path writeCa(Path file, TestPki.Issued ca) throws Exception {
    Files.writeString(file, pem(ca.certificate()));
    return file;
  }

  /** A client trusting {@code trusted} CAs, presenting {@code identity} when not null. */
  static HttpClient client(TestPki.Issued identity, String protocol, TestPki.Issued... trusted) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(context(identity, trusted))
        .sslParameters(protocol == null ? new SSLParameters() : new SSLParameters(null, new String[] {protocol}))
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  static SSLContext context(TestPki.Issued identity, TestPki.Issued... trusted) throws Exception {
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

  static X509Certificate first(java.util.List<X509Certificate> certs) {
    return certs.get(0);
  }
}
