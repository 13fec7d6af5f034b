// RFC 6962 section 3.2 and 3.3: signed certificate timestamps embedded in a precertificate-derived
// certificate (extension 1.3.6.1.4.1.11129.2.4.2), checked against the trusted root's CT logs, as
// cosign does for Fulcio certificates.
package dev.signet.cosign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

final class CertificateTransparency {
  static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";
  private static final int MAX_SCTS = 16;

  private CertificateTransparency() {}

  /** Throws unless at least one embedded SCT verifies with a trusted CT log. */
  static void verifyEmbedded(List<X509Certificate> certs, TrustedRoot root) throws CosignException {
    X509Certificate leaf = certs.get(0);
    byte[] ext = leaf.getExtensionValue(SCT_LIST_OID);
    if (ext == null) {
      throw new CosignException("the signing certificate has no embedded certificate transparency"
          + " timestamp", "Sign with a Fulcio certificate, or set ctLogVerify to false.");
    }
    X509Certificate issuer = issuer(leaf, certs, root);
    List<byte[]> scts;
    byte[] signedPrefixTail;
    try {
      byte[] list = ASN1OctetString.getInstance(
          ASN1OctetString.getInstance(ext).getOctets()).getOctets();
      scts = split(list);
      byte[] tbs = tbsWithoutScts(leaf);
      byte[] issuerKeyHash = MessageDigest.getInstance("SHA-256")
          .digest(issuer.getPublicKey().getEncoded());
      ByteArrayOutputStream tail = new ByteArrayOutputStream();
      tail.write(0);
      tail.write(1); // entry type precert_entry
      tail.write(issuerKeyHash);
      tail.write(tbs.length >> 16);
      tail.write(tbs.length >> 8);
      tail.write(tbs.length);
      tail.write(tbs);
      signedPrefixTail = tail.toByteArray();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new CosignException("the signing certificate's transparency timestamps cannot be read: "
          + e.getMessage(), "Sign with a Fulcio certificate, or set ctLogVerify to false.");
    }
    String why = "no embedded timestamp is from a CT log of the trusted root";
    for (byte[] sct : scts) {
      ByteBuffer b = ByteBuffer.wrap(sct);
      if (b.remaining() < 1 + 32 + 8 + 2 || b.get() != 0) {
        continue;
      }
      byte[] logId = new byte[32];
      b.get(logId);
      long timestamp = b.getLong();
      int extLen = Short.toUnsignedInt(b.getShort());
      if (b.remaining() < extLen + 4) {
        continue;
      }
      byte[] extensions = new byte[extLen];
      b.get(extensions);
      b.get(); // hash algorithm
      b.get(); // signature algorithm
      int sigLen = Short.toUnsignedInt(b.getShort());
      if (b.remaining() != sigLen) {
        continue;
      }
      byte[] signature = new byte[sigLen];
      b.get(signature);
      var log = root.ctLog(HexFormat.of().formatHex(logId));
      if (log.isEmpty()) {
        continue;
      }
      if (!log.get().validAt(Instant.ofEpochMilli(timestamp))) {
        why = "the CT log's key was not valid at the timestamp";
        continue;
      }
      ByteArrayOutputStream signed = new ByteArrayOutputStream();
      signed.write(0); // version v1
      signed.write(0); // certificate_timestamp
      signed.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
      signed.write(0);
      signed.writeBytes(Arrays.copyOfRange(signedPrefixTail, 1, signedPrefixTail.length));
      signed.write(extLen >> 8);
      signed.write(extLen);
      signed.writeBytes(extensions);
      if (Signatures.verify(log.get().key(), signed.toByteArray(), signature)) {
        return;
      }
      why = "the embedded timestamp's signature does not verify with the CT log's key";
    }
    throw new CosignException("certificate transparency: " + why,
        "Add the CT log to the trusted root, or set ctLogVerify to false.");
  }

  private static X509Certificate issuer(
      X509Certificate leaf, List<X509Certificate> certs, TrustedRoot root) throws CosignException {
    if (certs.size() > 1) {
      return certs.get(1);
    }
    for (TrustedRoot.CertificateAuthority ca : root.authorities()) {
      for (X509Certificate c : ca.chain()) {
        if (c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
          return c;
        }
      }
    }
    throw new CosignException("the issuer of the signing certificate is not in the signature or"
        + " the trusted root", "Sign with a certificate Fulcio issued.");
  }

  /** The TLS-encoded SignedCertificateTimestampList: a 2-byte length, then 2-byte-length items. */
  private static List<byte[]> split(byte[] list) {
    ByteBuffer b = ByteBuffer.wrap(list);
    int total = Short.toUnsignedInt(b.getShort());
    if (total != b.remaining()) {
      throw new IllegalArgumentException("SCT list length mismatch");
    }
    List<byte[]> out = new ArrayList<>();
    while (b.hasRemaining() && out.size() < MAX_SCTS) {
      int len = Short.toUnsignedInt(b.getShort());
      byte[] item = new byte[len];
      b.get(item);
      out.add(item);
    }
    return out;
  }

  /** The leaf's TBSCertificate with the SCT list extension removed: what the log signed. */
  private static byte[] tbsWithoutScts(X509Certificate leaf)
      throws IOException, GeneralSecurityException {
    ASN1Sequence tbs = ASN1Sequence.getInstance(leaf.getTBSCertificate());
    ASN1EncodableVector out = new ASN1EncodableVector();
    for (ASN1Encodable e : tbs) {
      if (e instanceof ASN1TaggedObject t && t.getTagNo() == 3) {
        Extensions extensions = Extensions.getInstance(t.getExplicitBaseObject());
        ASN1EncodableVector kept = new ASN1EncodableVector();
        for (var oid : extensions.getExtensionOIDs()) {
          if (!oid.getId().equals(SCT_LIST_OID)) {
            Extension x = extensions.getExtension(oid);
            kept.add(x);
          }
        }
        out.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
      } else {
        out.add(e);
      }
    }
    return new DERSequence(out).getEncoded(ASN1Encoding.DER);
  }
}
