package dev.signet.cosign;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A private Sigstore instance for tests: a Fulcio-like CA, a Rekor-like log key that signs entry
 * timestamps and checkpoints, a CT log key that signs embedded SCTs, an RFC 3161 timestamp
 * authority (a root and a timestamping leaf), and the trusted root naming them. Everything is made in memory with fresh keys.
 */
final class SigstoreFixture {
  static final String ISSUER = "https://token.actions.example.com";
  static final String IDENTITY = "https://github.example/acme/app/.github/workflows/release.yml@refs/heads/main";

  private static final AtomicLong SERIAL = new AtomicLong(7000);

  final Instant now = Instant.now();
  final KeyPair caKey = ec();
  final X509Certificate ca = caCertificate(caKey, "CN=sigstore-test-ca,O=Test", now);
  final KeyPair logKey = ec();
  final KeyPair ctKey = ec();
  final AtomicLong nextIndex = new AtomicLong(100);
  final KeyPair tsaRootKey = ec();
  final X509Certificate tsaRoot = caCertificate(tsaRootKey, "CN=tsa-test-root,O=Test", now);
  final KeyPair tsaKey = ec();
  final X509Certificate tsa = tsaLeaf(tsaKey, tsaRootKey, tsaRoot, now);

  static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String logId(PublicKey key) {
    return sha256Hex(key.getEncoded());
  }

  static String pem(PublicKey key) {
    return PublicKeys.pem(key);
  }

  static String pem(X509Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate caCertificate(KeyPair key, String name, Instant now) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(name),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(30))),
          Date.from(now.plus(Duration.ofDays(3650))), new X500Name(name), key.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate tsaLeaf(KeyPair key, KeyPair issuerKey, X509Certificate issuer,
      Instant now) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(30))),
          Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=tsa-test,O=Test"),
          key.getPublic());
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, true,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An RFC 3161 token from the test authority over a SHA-256 message imprint, at {@code genTime},
   * without certificates (as Sigstore's timestamp authority answers a request without certReq).
   */
  byte[] timestamp(byte[] sha256Imprint, Instant genTime) {
    try {
      TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
          new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", tsaKey.getPrivate(),
              tsa),
          new JcaDigestCalculatorProviderBuilder().build().get(
              new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
          new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2"));
      TimeStampRequest request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256,
          sha256Imprint, BigInteger.valueOf(SERIAL.incrementAndGet()));
      return tokens.generate(request, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(genTime)).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a keyless signer holds: its key and the short-lived certificate the CA issued. */
  record Signer(KeyPair key, X509Certificate certificate) {}

  /** A Fulcio-like leaf: SAN URI identity, OIDC issuer (v2 extension), code signing, and an SCT. */
  Signer keyless(String identity, String issuer, Instant notBefore, Duration lifetime,
      boolean withSct, KeyPair issuingKey, X509Certificate issuingCert) {
    KeyPair key = ec();
    try {
      long serial = SERIAL.incrementAndGet();
      X509Certificate pre = leaf(key, identity, issuer, notBefore, lifetime, serial, null,
          issuingKey, issuingCert);
      if (!withSct) {
        return new Signer(key, pre);
      }
      byte[] sct = sct(pre.getTBSCertificate(), issuingCert, notBefore.plusSeconds(1));
      return new Signer(key, leaf(key, identity, issuer, notBefore, lifetime, serial, sct,
          issuingKey, issuingCert));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Signer keyless(String identity, String issuer) {
    return keyless(identity, issuer, now.minusSeconds(60), Duration.ofMinutes(10), true, caKey, ca);
  }

  private static X509Certificate leaf(KeyPair key, String identity, String issuer,
      Instant notBefore, Duration lifetime, long serial, byte[] sctList, KeyPair issuingKey,
      X509Certificate issuingCert) throws Exception {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuingCert,
        BigInteger.valueOf(serial), Date.from(notBefore), Date.from(notBefore.plus(lifetime)),
        new X500Name(""), key.getPublic());
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    b.addExtension(Extension.subjectAlternativeName, true,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity)));
    b.addExtension(new ASN1ObjectIdentifier(KeylessIdentity.ISSUER_V2_OID), false,
        new DERUTF8String(issuer));
    if (sctList != null) {
      b.addExtension(new ASN1ObjectIdentifier(CertificateTransparency.SCT_LIST_OID), false,
          new DEROctetString(sctList));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuingKey.getPrivate())));
  }

  /** An RFC 6962 SCT list with one SCT from the CT log over the precertificate TBS. */
  private byte[] sct(byte[] tbs, X509Certificate issuer, Instant when) throws Exception {
    long ts = when.toEpochMilli();
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0);
    signed.write(0);
    signed.writeBytes(ByteBuffer.allocate(8).putLong(ts).array());
    signed.write(0);
    signed.write(1);
    signed.writeBytes(MessageDigest.getInstance("SHA-256").digest(issuer.getPublicKey().getEncoded()));
    signed.write(tbs.length >> 16);
    signed.write(tbs.length >> 8);
    signed.write(tbs.length);
    signed.writeBytes(tbs);
    signed.write(0);
    signed.write(0);
    byte[] sig = sign(ctKey.getPrivate(), signed.toByteArray());
    ByteArrayOutputStream sct = new ByteArrayOutputStream();
    sct.write(0);
    sct.writeBytes(HexFormat.of().parseHex(logId(ctKey.getPublic())));
    sct.writeBytes(ByteBuffer.allocate(8).putLong(ts).array());
    sct.write(0);
    sct.write(0);
    sct.write(4); // sha256
    sct.write(3); // ecdsa
    sct.write(sig.length >> 8);
    sct.write(sig.length);
    sct.writeBytes(sig);
    byte[] one = sct.toByteArray();
    ByteBuffer list = ByteBuffer.allocate(4 + one.length);
    list.putShort((short) (one.length + 2)).putShort((short) one.length).put(one);
    return list.array();
  }

  /** A hashedrekord entry body recording a signature over content by a key or certificate. */
  static byte[] hashedRekord(byte[] signature, byte[] signedContent, String pemKeyOrCert) {
    return ("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":"
            + "{\"algorithm\":\"sha256\",\"value\":\"" + sha256Hex(signedContent) + "\"}},"
            + "\"signature\":{\"content\":\"" + Base64.getEncoder().encodeToString(signature)
            + "\",\"publicKey\":{\"content\":\""
            + Base64.getEncoder().encodeToString(pemKeyOrCert.getBytes(StandardCharsets.US_ASCII))
            + "\"}}}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A log entry for the body, with the log's signed entry timestamp. */
  TlogEntry logEntry(byte[] body, Instant integrated) {
    long index = nextIndex.getAndIncrement();
    String id = logId(logKey.getPublic());
    String canonical = "{\"body\":\"" + Base64.getEncoder().encodeToString(body)
        + "\",\"integratedTime\":" + integrated.getEpochSecond() + ",\"logID\":\"" + id
        + "\",\"logIndex\":" + index + "}";
    byte[] set = sign(logKey.getPrivate(), canonical.getBytes(StandardCharsets.UTF_8));
    return new TlogEntry(index, id, integrated.getEpochSecond(), body, set, null);
  }

  /** The entry placed at {@code position} in a tree of {@code size} leaves, with proof and checkpoint. */
  TlogEntry provenEntry(byte[] body, Instant integrated, int position, int size) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      leaves.add(i == position ? TlogEntry.leafHash(body)
          : TlogEntry.leafHash(("other-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    byte[] root = MerkleTree.root(leaves);
    List<byte[]> path = MerkleTree.path(position, leaves);
    String body3 = "rekor.test - 1234\n" + size + "\n" + Base64.getEncoder().encodeToString(root)
        + "\n";
    byte[] keyHint = HexFormat.of().parseHex(logId(logKey.getPublic()).substring(0, 8));
    byte[] sig = sign(logKey.getPrivate(), body3.getBytes(StandardCharsets.UTF_8));
    byte[] raw = new byte[4 + sig.length];
    System.arraycopy(keyHint, 0, raw, 0, 4);
    System.arraycopy(sig, 0, raw, 4, sig.length);
    String checkpoint = body3 + "\n\u2014 rekor.test " + Base64.getEncoder().encodeToString(raw)
        + "\n";
    TlogEntry withSet = logEntry(body, integrated);
    return new TlogEntry(withSet.logIndex(), withSet.logId(), withSet.integratedTime(), body,
        withSet.signedEntryTimestamp(),
        new TlogEntry.InclusionProof(position, size, root, path, checkpoint));
  }

  /** The trusted root JSON naming this instance's CA, log and CT log. */
  String trustedRootJson() {
    try {
      String caDer = Base64.getEncoder().encodeToString(ca.getEncoded());
      return "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\","
          + "\"tlogs\":[" + log("https://rekor.test", logKey.getPublic()) + "],"
          + "\"certificateAuthorities\":[{\"subject\":{\"organization\":\"Test\","
          + "\"commonName\":\"sigstore-test-ca\"},\"uri\":\"https://fulcio.test\","
          + "\"certChain\":{\"certificates\":[{\"rawBytes\":\"" + caDer + "\"}]},"
          + "\"validFor\":{\"start\":\"" + now.minus(Duration.ofDays(30)) + "\"}}],"
          + "\"ctlogs\":[" + log("https://ctfe.test", ctKey.getPublic()) + "],"
          + "\"timestampAuthorities\":[{\"subject\":{\"organization\":\"Test\","
          + "\"commonName\":\"tsa-test\"},\"uri\":\"https://tsa.test\","
          + "\"certChain\":{\"certificates\":[{\"rawBytes\":\""
          + Base64.getEncoder().encodeToString(tsa.getEncoded()) + "\"},{\"rawBytes\":\""
          + Base64.getEncoder().encodeToString(tsaRoot.getEncoded()) + "\"}]},"
          + "\"validFor\":{\"start\":\"" + now.minus(Duration.ofDays(30)) + "\"}}]}";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String log(String url, PublicKey key) {
    return "{\"baseUrl\":\"" + url + "\",\"hashAlgorithm\":\"SHA2_256\",\"publicKey\":{"
        + "\"rawBytes\":\"" + Base64.getEncoder().encodeToString(key.getEncoded()) + "\","
        + "\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\",\"validFor\":{\"start\":\""
        + now.minus(Duration.ofDays(30)) + "\"}},\"logId\":{\"keyId\":\""
        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(logId(key))) + "\"}}";
  }

  TrustedRoot trustedRoot() throws CosignException {
    return TrustedRoot.parse(trustedRootJson().getBytes(StandardCharsets.UTF_8), "test");
  }

  /** cosign's simple-signing payload for an image digest. */
  static byte[] simpleSigning(String reference, String digest) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + reference + "\"},\"image\":"
            + "{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"cosign container image"
            + " signature\"},\"optional\":null}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** cosign's Rekor bundle annotation for an entry. */
  static String rekorBundleAnnotation(TlogEntry e) {
    return "{\"SignedEntryTimestamp\":\""
        + Base64.getEncoder().encodeToString(e.signedEntryTimestamp()) + "\",\"Payload\":{"
        + "\"body\":\"" + Base64.getEncoder().encodeToString(e.body()) + "\",\"integratedTime\":"
        + e.integratedTime() + ",\"logIndex\":" + e.logIndex() + ",\"logID\":\"" + e.logId()
        + "\"}}";
  }

  /** A binary Merkle tree as RFC 9162 defines it, to build proofs the log would give. */
  static final class MerkleTree {
    static byte[] root(List<byte[]> leaves) {
      if (leaves.size() == 1) {
        return leaves.get(0);
      }
      int k = split(leaves.size());
      return node(root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size())));
    }

    static List<byte[]> path(int m, List<byte[]> leaves) {
      List<byte[]> out = new ArrayList<>();
      if (leaves.size() <= 1) {
        return out;
      }
      int k = split(leaves.size());
      if (m < k) {
        out.addAll(path(m, leaves.subList(0, k)));
        out.add(root(leaves.subList(k, leaves.size())));
      } else {
        out.addAll(path(m - k, leaves.subList(k, leaves.size())));
        out.add(root(leaves.subList(0, k)));
      }
      return out;
    }

    private static int split(int n) {
      int k = 1;
      while (k * 2 < n) {
        k *= 2;
      }
      return k;
    }

    private static byte[] node(byte[] l, byte[] r) {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update((byte) 1);
        md.update(l);
        md.update(r);
        return md.digest();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
