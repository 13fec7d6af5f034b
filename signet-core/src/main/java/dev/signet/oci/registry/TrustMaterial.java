package dev.signet.oci.registry;

import dev.signet.oci.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The TLS trust of a client: the JVM's default trust anchors plus an optional PEM CA bundle. */
final class TrustMaterial {
  private static final long MAX_BUNDLE_BYTES = 4L * 1024 * 1024;

  private TrustMaterial() {}

  static SSLContext sslContext(Path caFile) throws StoreException {
    try {
      if (caFile == null) {
        return SSLContext.getDefault();
      }
      if (Files.size(caFile) > MAX_BUNDLE_BYTES) {
        throw new StoreException("CA bundle " + caFile + " is larger than " + MAX_BUNDLE_BYTES + " bytes");
      }
      byte[] pem = Files.readAllBytes(caFile);
      Collection<? extends Certificate> extra =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      if (extra.isEmpty()) {
        throw new StoreException("CA bundle " + caFile + " holds no certificate");
      }
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jvm.init((KeyStore) null);
      int i = 0;
      for (TrustManager tm : jvm.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            anchors.setCertificateEntry("jvm-" + i++, c);
          }
        }
      }
      for (Certificate c : extra) {
        anchors.setCertificateEntry("bundle-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(anchors);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new StoreException("cannot read CA bundle " + caFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot load CA bundle " + caFile + ": " + e.getMessage(), e);
    }
  }
}
