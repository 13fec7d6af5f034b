package dev.signet.server;

// TLS material as Ratify's server reads it (ratify-reference.md §3 "TLS and mTLS"): tls.crt and
// tls.key (PEM) from the certificate directory, TLS 1.3 minimum, client certificates required and
// verified when a client CA file is given.

import dev.signet.tls.KeyBinding;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** The server's TLS settings and the files they are read from. */
record ServerTls(Path certDir, Path clientCaFile, TlsVersion minimumVersion) {
  static final String CERT_FILE = "tls.crt";
  static final String KEY_FILE = "tls.key";
  private static final long MAX_PEM_BYTES = 1024 * 1024;

  // TLS 1.2 only with forward-secret AEAD suites; TLS 1.3 suites are all AEAD.
  private static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** The lowest protocol version the server accepts. */
  enum TlsVersion {
    TLS_1_2,
    TLS_1_3;

    /** {@code 1.2} or {@code 1.3} (also {@code TLSv1.2}, {@code TLS1.3}). */
    static TlsVersion parse(String text) {
      String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace("TLSV", "").replace("TLS", "");
      return switch (t) {
        case "1.2" -> TLS_1_2;
        case "1.3" -> TLS_1_3;
        default ->
            throw new IllegalArgumentException(
                "unsupported minimum TLS version \"" + text + "\"; use 1.3 (default) or 1.2");
      };
    }
  }

  /** The files whose change means a reload. */
  List<Path> watchedFiles() {
    List<Path> files = new ArrayList<>(List.of(certDir.resolve(CERT_FILE), certDir.resolve(KEY_FILE)));
    if (clientCaFile != null) {
      files.add(clientCaFile);
    }
    return files;
  }

  /** A fingerprint of the watched files' contents (SHA-256 over all of them). */
  byte[] fingerprint() throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path p : watchedFiles()) {
        md.update(read(p));
        md.update((byte) 0);
      }
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the files and builds Helidon's TLS settings.
   *
   * @throws TlsMaterialException naming the file and what is wrong with it
   */
  Tls load() throws TlsMaterialException {
    Path certFile = certDir.resolve(CERT_FILE);
    Path keyFile = certDir.resolve(KEY_FILE);
    List<X509Certificate> chain = certificates(certFile);
    if (chain.isEmpty()) {
      throw new TlsMaterialException(certFile + " holds no PEM certificate");
    }
    PrivateKey key = privateKey(keyFile);
    checkPair(key, chain.get(0), certFile, keyFile);
    List<X509Certificate> clientCas = List.of();
    if (clientCaFile != null) {
      clientCas = certificates(clientCaFile);
      if (clientCas.isEmpty()) {
        throw new TlsMaterialException(clientCaFile + " holds no PEM certificate (client CA)");
      }
    }
    var builder =
        Tls.builder()
            .privateKey(key)
            .privateKeyCertChain(chain)
            .enabledProtocols(
                minimumVersion == TlsVersion.TLS_1_2 ? List.of("TLSv1.3", "TLSv1.2") : List.of("TLSv1.3"))
            .enabledCipherSuites(CIPHER_SUITES);
    if (!clientCas.isEmpty()) {
      builder.trust(clientCas).clientAuth(TlsClientAuth.REQUIRED);
    }
    return builder.build();
  }

  private static byte[] read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_PEM_BYTES) {
      throw new IOException(file + " is larger than " + MAX_PEM_BYTES + " bytes");
    }
    return Files.readAllBytes(file);
  }

  private static List<Object> pemObjects(Path file) throws TlsMaterialException {
    String text;
    try {
      text = new String(read(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new TlsMaterialException("cannot read " + file + ": " + e.getMessage());
    }
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException(file + " is not valid PEM: " + e.getMessage());
    }
    return objects;
  }

  static List<X509Certificate> certificates(Path file) throws TlsMaterialException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certs = new ArrayList<>();
    for (Object o : pemObjects(file)) {
      if (o instanceof X509CertificateHolder holder) {
        try {
          certs.add(converter.getCertificate(holder));
        } catch (CertificateException e) {
          throw new TlsMaterialException(file + " holds an invalid certificate: " + e.getMessage());
        }
      }
    }
    return certs;
  }

  private static PrivateKey privateKey(Path file) throws TlsMaterialException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey key = null;
    for (Object o : pemObjects(file)) {
      PrivateKey found;
      try {
        found =
            switch (o) {
              // PKCS#1 / SEC1; the private part only, as SEC1 keys may omit the public key.
              case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
              case PrivateKeyInfo info -> converter.getPrivateKey(info); // PKCS#8
              case PEMEncryptedKeyPair ignored ->
                  throw new TlsMaterialException(file + " holds an encrypted key; give it unencrypted");
              case PKCS8EncryptedPrivateKeyInfo ignored ->
                  throw new TlsMaterialException(file + " holds an encrypted key; give it unencrypted");
              default -> null;
            };
      } catch (IOException e) {
        throw new TlsMaterialException(file + " holds an unusable private key: " + e.getMessage());
      }
      if (found != null) {
        if (key != null) {
          throw new TlsMaterialException(file + " holds more than one private key");
        }
        key = found;
      }
    }
    if (key == null) {
      throw new TlsMaterialException(
          file + " holds no PEM private key (PKCS#8 \"PRIVATE KEY\" or PKCS#1 \"RSA PRIVATE KEY\")");
    }
    return key;
  }

  /** A key that does not belong to the certificate would only fail later, in every handshake. */
  private static void checkPair(PrivateKey key, X509Certificate cert, Path certFile, Path keyFile)
      throws TlsMaterialException {
    if (KeyBinding.probeAlgorithm(key).isEmpty()) {
      throw new TlsMaterialException(keyFile + " holds a " + key.getAlgorithm() + " key; use RSA or EC");
    }
    try {
      if (!KeyBinding.belongs(key, cert)) {
        throw new TlsMaterialException(
            keyFile + " does not match the first certificate in " + certFile);
      }
    } catch (GeneralSecurityException e) {
      throw new TlsMaterialException(
          keyFile + " does not match the first certificate in " + certFile + ": " + e.getMessage());
    }
  }
}
