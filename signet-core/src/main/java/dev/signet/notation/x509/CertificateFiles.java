package dev.signet.notation.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads certificate files as notation does (notation-core-go {@code x509.ReadCertificateFile}): PEM
 * with one or more {@code CERTIFICATE} blocks, or DER with one or more concatenated certificates.
 * Text around PEM blocks and blocks of other types are ignored, as in Go; every certificate itself
 * must parse completely, with no trailing bytes.
 */
public final class CertificateFiles {
  /** The largest certificate file accepted. */
  public static final int MAX_FILE_SIZE = 1024 * 1024;

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";

  private CertificateFiles() {}

  /**
   * The certificates in a file.
   *
   * @throws CertificateException when the file is unreadable, too large, empty, or not PEM/DER
   *     certificates
   */
  public static List<X509Certificate> read(Path file) throws CertificateException {
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes(MAX_FILE_SIZE + 1);
    } catch (IOException e) {
      throw new CertificateException("cannot read certificate file " + file + ": " + e, e);
    }
    if (data.length > MAX_FILE_SIZE) {
      throw new CertificateException(
          "certificate file " + file + " is larger than " + MAX_FILE_SIZE + " bytes");
    }
    try {
      return read(data);
    } catch (CertificateException e) {
      throw new CertificateException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The certificates in PEM or DER bytes.
   *
   * @throws CertificateException when the data is too large, empty, or not PEM/DER certificates
   */
  public static List<X509Certificate> read(byte[] data) throws CertificateException {
    if (data.length > MAX_FILE_SIZE) {
      throw new CertificateException("certificate data is larger than " + MAX_FILE_SIZE + " bytes");
    }
    if (data.length == 0) {
      throw new CertificateException("certificate file is empty");
    }
    String text = new String(data, StandardCharsets.ISO_8859_1);
    List<X509Certificate> certs = text.contains(BEGIN) ? readPem(text) : readDer(data);
    if (certs.isEmpty()) {
      throw new CertificateException(
          "no certificate found (expected PEM CERTIFICATE blocks or DER)");
    }
    return List.copyOf(certs);
  }

  private static List<X509Certificate> readPem(String text) throws CertificateException {
    List<X509Certificate> certs = new ArrayList<>();
    int at = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, at);
      if (begin < 0) {
        break;
      }
      int typeEnd = text.indexOf("-----", begin + BEGIN.length());
      if (typeEnd < 0) {
        throw new CertificateException("malformed PEM: unterminated BEGIN line");
      }
      String type = text.substring(begin + BEGIN.length(), typeEnd);
      String endMarker = END + type + "-----";
      int end = text.indexOf(endMarker, typeEnd + 5);
      if (end < 0) {
        throw new CertificateException("malformed PEM: no END line for " + type);
      }
      String body = text.substring(typeEnd + 5, end);
      at = end + endMarker.length();
      if (!type.equals("CERTIFICATE")) {
        continue;
      }
      if (body.indexOf(':') >= 0) {
        throw new CertificateException("malformed PEM: CERTIFICATE block must not have headers");
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(strictBase64(body));
      } catch (IllegalArgumentException e) {
        throw new CertificateException("malformed PEM: invalid base64 in CERTIFICATE block", e);
      }
      certs.add(parseOne(der));
    }
    return certs;
  }

  // The MIME decoder skips characters outside the alphabet; reject them first so that nothing is
  // silently dropped from a certificate.
  private static String strictBase64(String body) {
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char ch = body.charAt(i);
      if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
        continue;
      }
      boolean ok =
          (ch >= 'A' && ch <= 'Z')
              || (ch >= 'a' && ch <= 'z')
              || (ch >= '0' && ch <= '9')
              || ch == '+'
              || ch == '/'
              || ch == '=';
      if (!ok) {
        throw new IllegalArgumentException("invalid base64 character");
      }
      sb.append(ch);
    }
    return sb.toString();
  }

  private static List<X509Certificate> readDer(byte[] data) throws CertificateException {
    List<X509Certificate> certs = new ArrayList<>();
    int at = 0;
    while (at < data.length) {
      int length = derElementLength(data, at);
      certs.add(parseOne(Arrays.copyOfRange(data, at, at + length)));
      at += length;
    }
    return certs;
  }

  /** The total length of the DER SEQUENCE starting at {@code at}, header included. */
  private static int derElementLength(byte[] data, int at) throws CertificateException {
    if (data.length - at < 2 || (data[at] & 0xff) != 0x30) {
      throw new CertificateException("not a PEM or DER certificate");
    }
    int first = data[at + 1] & 0xff;
    int header = 2;
    long length;
    if (first < 0x80) {
      length = first;
    } else {
      int count = first & 0x7f;
      if (count == 0 || count > 4 || data.length - at < 2 + count) {
        throw new CertificateException("not a PEM or DER certificate: bad DER length");
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (data[at + 2 + i] & 0xff);
      }
      header += count;
    }
    if (length > data.length - at - header) {
      throw new CertificateException("not a PEM or DER certificate: truncated DER");
    }
    return (int) (header + length);
  }

  private static X509Certificate parseOne(byte[] der) throws CertificateException {
    X509Certificate cert;
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      cert = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new CertificateException("invalid certificate: " + e.getMessage(), e);
    }
    if (!Arrays.equals(cert.getEncoded(), der)) {
      // Trailing data or a non-DER encoding: Go's parser refuses both.
      throw new CertificateException("invalid certificate: not a single DER-encoded certificate");
    }
    if (!GoNameFormat.isWellFormed(cert.getSubjectX500Principal())
        || !GoNameFormat.isWellFormed(cert.getIssuerX500Principal())) {
      throw new CertificateException(
          "invalid certificate: subject or issuer name has an unsupported attribute value");
    }
    return cert;
  }
}
