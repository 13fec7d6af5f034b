package dev.signet.notation.timestamp;

import dev.signet.testkit.TestPki;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.Accuracy;
import org.bouncycastle.asn1.tsp.MessageImprint;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A test TSA that assembles TimeStampTokens field by field with BouncyCastle's CMS generator, so
 * that tests can break any one rule. Defaults give a valid token over {@code message}.
 */
public final class TestTsa {
  public static final String ROOT_DN = "CN=Test TSA Root,O=Signet,C=US";

  /** A provider instance for PSS signing only; never registered globally. */
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  /** The knobs of one token. */
  public static final class Token {
    TestPki.Issued signer;
    List<X509Certificate> certificates = new ArrayList<>();
    public byte[] message = "signature".getBytes();
    ASN1ObjectIdentifier imprintAlgorithm = NISTObjectIdentifiers.id_sha256;
    public String genTime = "20240102030405.25Z";
    public Accuracy accuracy = new Accuracy(new ASN1Integer(1), null, null);
    String policy = "1.2.3.4.1";
    String signatureAlgorithm;
    AlgorithmParameterSpec signatureParameters;
    boolean essV2 = true;
    ASN1ObjectIdentifier essHash = NISTObjectIdentifiers.id_sha256;
    byte[] essCertHash;
    boolean essIssuerSerial = true;
    boolean essEmpty;
    Instant signingTime;
    boolean contentTypeAttribute = true;
    ASN1ObjectIdentifier contentType = PKCSObjectIdentifiers.id_ct_TSTInfo;
    boolean digestCorrupt;
    ASN1ObjectIdentifier digestAlgorithm;

    Token signer(TestPki.Issued signer, X509Certificate... chain) {
      this.signer = signer;
      this.certificates = new ArrayList<>(List.of(chain));
      return this;
    }

    public Token with(UnaryOperator<Token> change) {
      return change.apply(this);
    }

    public byte[] encode() throws Exception {
      byte[] imprint =
          MessageDigest.getInstance(TokenInfo.SHA2.getOrDefault(imprintAlgorithm, "SHA-1"))
              .digest(message);
      TSTInfo info =
          new TSTInfo(
              new ASN1ObjectIdentifier(policy),
              new MessageImprint(new AlgorithmIdentifier(imprintAlgorithm), imprint),
              new ASN1Integer(42),
              new ASN1GeneralizedTime(genTime),
              accuracy,
              null,
              null,
              null,
              null);
      byte[] content = info.getEncoded(ASN1Encoding.DER);

      PrivateKey key = signer.privateKey();
      String algorithm =
          signatureAlgorithm != null
              ? signatureAlgorithm
              : key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      JcaContentSignerBuilder builder =
          signatureParameters != null
              ? new JcaContentSignerBuilder(algorithm, signatureParameters)
              : new JcaContentSignerBuilder(algorithm);
      if (algorithm.contains("MGF1") || algorithm.contains("PSS")) {
        builder.setProvider(BC);
      }
      ContentSigner contentSigner = builder.build(key);
      X509Certificate cert = signer.certificate();
      CMSAttributeTableGenerator attributes = params -> signedAttributes(params, cert);
      JcaSignerInfoGeneratorBuilder infoBuilder =
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .setSignedAttributeGenerator(attributes);
      if (digestAlgorithm != null) {
        infoBuilder.setContentDigest(new AlgorithmIdentifier(digestAlgorithm));
      }
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(infoBuilder.build(contentSigner, cert));
      generator.addCertificates(new JcaCertStore(certificates));
      return generator
          .generate(new CMSProcessableByteArray(PKCSObjectIdentifiers.id_ct_TSTInfo, content), true)
          .getEncoded();
    }

    private AttributeTable signedAttributes(Map<?, ?> params, X509Certificate cert) {
      ASN1EncodableVector v = new ASN1EncodableVector();
      if (contentTypeAttribute) {
        v.add(new Attribute(CMSAttributes.contentType, new DERSet(contentType)));
      }
      byte[] digest = ((byte[]) params.get(CMSAttributeTableGenerator.DIGEST)).clone();
      if (digestCorrupt) {
        digest[0] ^= 1;
      }
      v.add(new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(digest))));
      if (signingTime != null) {
        v.add(
            new Attribute(
                CMSAttributes.signingTime, new DERSet(new DERUTCTime(Date.from(signingTime)))));
      }
      if (essV2) {
        v.add(
            new Attribute(
                PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(essAttribute(cert))));
      }
      return new AttributeTable(v);
    }

    private ASN1Encodable essAttribute(X509Certificate cert) {
      try {
        if (essEmpty) {
          return new SigningCertificateV2(new ESSCertIDv2[0]);
        }
        byte[] hash =
            essCertHash != null
                ? essCertHash
                : MessageDigest.getInstance(TokenInfo.SHA2.getOrDefault(essHash, "SHA-1"))
                    .digest(cert.getEncoded());
        IssuerSerial issuerSerial =
            essIssuerSerial
                ? new IssuerSerial(
                    new GeneralNames(
                        new GeneralName(
                            X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()))),
                    new ASN1Integer(cert.getSerialNumber()))
                : null;
        return new SigningCertificateV2(
            new ESSCertIDv2(new AlgorithmIdentifier(essHash), hash, issuerSerial));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public final TestPki.Issued root;
  public final TestPki.Issued intermediate;
  public final TestPki.Issued leaf;

  public TestTsa() {
    this(
        TestPki.tsaLeaf("CN=Test TSA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048)));
  }

  public TestTsa(TestPki.Builder leafBuilder) {
    root = TestPki.root(ROOT_DN).keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_3072)).selfSigned();
    intermediate =
        TestPki.intermediate("CN=Test TSA CA,O=Signet,C=US")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P384))
            .issuedBy(root);
    leaf = leafBuilder.issuedBy(intermediate);
  }

  /** A valid token over {@code message} from this TSA's leaf, with its chain minus the root. */
  public Token token() {
    return new Token().signer(leaf, leaf.certificate(), intermediate.certificate());
  }

  static BigInteger serial(long n) {
    return BigInteger.valueOf(n);
  }
}
