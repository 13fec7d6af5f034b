package dev.signet.notation.timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.StrictJson;
import dev.signet.testkit.Vectors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Real tokens from tspclient-go and notation-go (see vectors MANIFEST.md), read in place. */
class Rfc3161TimestampVectorsTest {
  private static final byte[] NOTATION = "notation".getBytes(StandardCharsets.UTF_8);
  private static final String TSP = "tspclient-go/testdata/";
  private static final String CMS = "tspclient-go/internal/cms/testdata/";
  private static final String NG = "notation-go/verifier/testdata/";
  private static final String R6 = NG + "truststore/x509/tsa/test-timestamp/globalsignRoot.cer";
  private static final String DIGICERT =
      NG + "truststore/x509/tsa/test-mismatch/DigiCertTSARootSHA384.cer";
  private static final String PARSE = "failed to parse timestamp countersignature with error: ";
  private static final String INFO = "failed to get the timestamp TSTInfo with error: ";
  private static final String VERIFY =
      "failed to verify the timestamp countersignature with error: failed to verify signed token: ";
  private static final Instant GEN_TIME = Instant.parse("2021-09-17T14:09:10Z");

  private final Rfc3161TimestampVerifier verifier = new Rfc3161TimestampVerifier(chain -> {});

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        TSP + "TimeStampToken.p7s",
        TSP + "TimeStampTokenWithValidAndInvalidSignerInfos.p7s",
        CMS + "TimeStampToken.p7s",
        CMS + "TimeStampTokenWithAnInvalidAndAValidSignerInfo.p7s",
        NG + "timestamp/countersignature/TimeStampToken.p7s"
      })
  void globalSignTokensVerifyAtGenTimeAgainstR3AndR6(String path) throws Exception {
    for (String root : List.of(TSP + "GlobalSignRootCA.crt", CMS + "GlobalSignRootCA.crt", R6)) {
      X509Certificate anchor = cert(root);
      VerifiedTimestamp ts = verifier.verify(read(path), NOTATION, () -> List.of(anchor));
      assertThat(ts.genTime()).isEqualTo(GEN_TIME);
      assertThat(ts.accuracy()).isEqualTo(Duration.ofSeconds(1));
      List<X509Certificate> chain = ts.tsaChain();
      assertThat(chain.getFirst().getSubjectX500Principal().getName())
          .contains("CN=Globalsign TSA for Advanced - G4");
      assertThat(chain.getLast()).isEqualTo(anchor);
      // R6 directly, or R6 cross-signed by R3 then R3.
      assertThat(chain).hasSize(root.equals(R6) ? 3 : 4);
      for (int i = 0; i + 1 < chain.size(); i++) {
        assertThat(chain.get(i).getIssuerX500Principal())
            .isEqualTo(chain.get(i + 1).getSubjectX500Principal());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        TSP
            + "SHA1TimeStampToken.p7s | "
            + INFO
            + "invalid TSTInfo: unrecognized hash algorithm: 1.2.840.113549.1.1.5",
        TSP
            + "TimeStampTokenWithTSTInfoVersion2.p7s | "
            + INFO
            + "invalid TSTInfo: timestamp token info version must be 1, but got 2",
        TSP
            + "TimeStampTokenWithInvalidTSTInfo.p7s | "
            + INFO
            + "cannot unmarshal TSTInfo from timestamp token: ",
        NG
            + "timestamp/countersignature/TimeStampTokenWithInvalidTSTInfo.p7s | "
            + INFO
            + "cannot unmarshal TSTInfo from timestamp token: ",
        TSP
            + "TimeStampTokenWithInvalideContentType.p7s | "
            + PARSE
            + "unexpected content type: 1.2.840.113549.1.7.1. Expected to be id-ct-TSTInfo"
            + " (1.2.840.113549.1.9.16.1.4)",
        NG
            + "timestamp/countersignature/TimeStampTokenWithInvalideContentType.p7s | "
            + PARSE
            + "unexpected content type: 1.2.840.113549.1.7.1. Expected to be id-ct-TSTInfo"
            + " (1.2.840.113549.1.9.16.1.4)",
        CMS
            + "TimeStampTokenWithInvalidContentType.p7s | "
            + PARSE
            + "unexpected content type: 1.2.840.113549.1.9.16.1.5.",
        CMS + "Sha1SignedData.p7s | " + PARSE + "unexpected content type: 1.2.840.113549.1.7.1.",
        CMS
            + "SignedDataWithoutSignedAttributes.p7s | "
            + PARSE
            + "unexpected content type: 1.2.840.113549.1.7.1.",
        CMS + "TimeStampTokenWithInvalidCertificates.p7s | " + PARSE + "cms: syntax error: ",
        TSP + "malformed.tsq | " + PARSE + "cms: syntax error: invalid signed data: ",
        TSP
            + "TimeStampTokenWithoutCertificate.p7s | "
            + VERIFY
            + "signing certificate not found in the timestamp token",
        CMS
            + "TimeStampTokenWithoutCertificate.p7s | "
            + VERIFY
            + "signing certificate not found in the timestamp token",
        NG
            + "timestamp/countersignature/TimeStampTokenWithoutCertificate.p7s | "
            + VERIFY
            + "signing certificate not found in the timestamp token",
        TSP
            + "TimeStampTokenWithInvalidSignature.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
        CMS
            + "TimeStampTokenWithInvalidSignature.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
        TSP
            + "TimeStampTokenWithoutSigningCertificate.p7s | "
            + VERIFY
            + "failed to get SigningCertificateV2 from signed attributes: attribute not found",
        TSP
            + "TimeStampTokenWithWrongSigningCertificateV2IssuerChoiceTag.p7s | "
            + VERIFY
            + "issuer name is missing in IssuerSerial",
        TSP
            + "TimeStampTokenWithSHA1CertHash.p7s | "
            + VERIFY
            + "unsupported certificate hash algorithm in SigningCertificateV2 attribute",
        TSP
            + "TimeStampTokenWithMismatchCertHash.p7s | "
            + VERIFY
            + "signing certificate hash does not match CertHash in signed attribute",
        TSP
            + "TimeStampTokenWithInvalidSigningCertificateV2.p7s | "
            + VERIFY
            + "failed to get SigningCertificateV2 from signed attributes: asn1: syntax error:"
            + " sequence truncated",
        TSP
            + "TimeStampTokenWithSigningCertificateV2NoCert.p7s | "
            + VERIFY
            + "signingCertificateV2 does not contain any certificate",
        // The ESS certificate is found through the sid, but the edit broke the TSA's signature.
        TSP
            + "TimeStampTokenWithoutSigningCertificateV2IssuerSerial.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
        CMS + "TimeStampTokenWithoutSigner.p7s | " + VERIFY + "signerInfo not found",
        CMS
            + "TimeStampTokenWithSignerVersion2.p7s | "
            + VERIFY
            + "cms verification failure: invalid signer info version: only version 1 is"
            + " supported; got 2",
        CMS
            + "TimeStampTokenWithUnknownSignerIssuer.p7s | "
            + VERIFY
            + "cms verification failure: the signer identifier does not name the signing"
            + " certificate",
        CMS
            + "TimeStampTokenWithSignedAttributeSHA1.p7s | "
            + VERIFY
            + "cms verification failure: unsupported digest algorithm: 1.3.14.3.2.26",
        CMS
            + "TimeStampTokenWithoutSignedAttributes.p7s | "
            + VERIFY
            + "failed to get SigningCertificateV2 from signed attributes: attribute not found",
        CMS
            + "TimeStampTokenWithInvalidSigningTime.p7s | "
            + VERIFY
            + "cms verification failure: invalid signed attributes: ",
        // Edited after signing: the TSA signature no longer verifies, whatever the attribute.
        CMS
            + "TimeStampTokenWithoutSignedAttributeContentType.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
        CMS
            + "TimeStampTokenInvalidSignedAttributeContentType.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
        CMS
            + "TimeStampTokenWithoutSignedAttributeDigest.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
        CMS
            + "TimeStampTokenWithSigningTime.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
        CMS
            + "TimeStampTokenWithSigningTimeBeforeExpected.p7s | "
            + VERIFY
            + "cms verification failure: crypto/rsa: verification error",
      })
  void rejectedTokens(String path, String expected) throws Exception {
    X509Certificate r3 = cert(TSP + "GlobalSignRootCA.crt");
    assertThatThrownBy(() -> verifier.verify(read(path), NOTATION, () -> List.of(r3)))
        .isInstanceOf(TimestampException.class)
        .message()
        .startsWith(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    TSP + "TimeStampTokenWithSigningCertificateV1.p7s",
    TSP + "TimeStampTokenWithInvalidSigningCertificateV1.p7s",
    TSP + "TimeStampTokenWithSigningCertificateV1NoCert.p7s",
    TSP + "TimeStampTokenNoRoot.p7s"
  })
  void tokensOverAnotherMessageFailTheImprintCheck(String path) throws Exception {
    X509Certificate r3 = cert(TSP + "GlobalSignRootCA.crt");
    assertThatThrownBy(() -> verifier.verify(read(path), NOTATION, () -> List.of(r3)))
        .hasMessage(
            "failed to get timestamp from timestamp countersignature with error: invalid TSTInfo:"
                + " mismatched message");
  }

  /** The freetsa.org tokens carry only ESS v1; their message is unknown, so (d) is bypassed. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    TSP + "TimeStampTokenWithSigningCertificateV1.p7s",
    TSP + "TimeStampTokenWithInvalidSigningCertificateV1.p7s",
    TSP + "TimeStampTokenWithSigningCertificateV1NoCert.p7s"
  })
  void essV1OnlyTokensAreRejected(String path) throws Exception {
    X509Certificate r3 = cert(TSP + "GlobalSignRootCA.crt");
    assertThatThrownBy(() -> verifier.verify(read(path), info -> true, () -> List.of(r3)))
        .hasMessage(
            VERIFY
                + "failed to get SigningCertificateV2 from signed attributes: attribute not found");
  }

  @Test
  void essV1OnlyTokenInsideAGrantedResponseIsRejected() throws Exception {
    byte[] token = tokenOf(read(TSP + "validResponseWithSigningCertificateV1.tsr"));
    X509Certificate r3 = cert(TSP + "GlobalSignRootCA.crt");
    assertThatThrownBy(() -> verifier.verify(token, info -> true, () -> List.of(r3)))
        .hasMessage(
            VERIFY
                + "failed to get SigningCertificateV2 from signed attributes: attribute not found");
  }

  @Test
  void microsoftTokenWithoutItsRootIsSignedByUnknownAuthority() throws Exception {
    byte[] token = read(TSP + "TimeStampTokenNoRoot.p7s");
    X509Certificate r3 = cert(TSP + "GlobalSignRootCA.crt");
    TokenInfo info = TokenInfo.parse(SignedToken.parse(token).tstInfo());
    assertThat(info.genTime()).isEqualTo(Instant.parse("2024-06-21T07:12:05.884Z"));
    assertThat(info.accuracy()).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> verifier.verify(token, i -> true, () -> List.of(r3)))
        .message()
        .startsWith(
            VERIFY + "cms verification failure: x509: certificate signed by unknown authority");
  }

  @Test
  void grantedResponseTokenVerifiesWithFourCertificates() throws Exception {
    byte[] token = tokenOf(read(TSP + "granted.tsq"));
    X509Certificate r3 = cert(TSP + "GlobalSignRootCA.crt");
    VerifiedTimestamp ts = verifier.verify(token, NOTATION, () -> List.of(r3));
    assertThat(ts.genTime()).isEqualTo(Instant.parse("2021-09-18T11:54:34Z"));
    assertThat(ts.accuracy()).isEqualTo(Duration.ofSeconds(1));
    assertThat(ts.tsaChain()).hasSize(4);
    assertThat(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(ts.tsaChain().getFirst().getEncoded())))
        .isEqualTo("13d6e9c420ff6d4e2754728c68e77882656467db9a190f816597f67fb6ccc6f9");
  }

  @Test
  void rejectionResponseHasNoToken() throws Exception {
    TimeStampResp resp = TimeStampResp.getInstance(read(TSP + "rejection.tsq"));
    assertThat(resp.getStatus().getStatus().intValue()).isEqualTo(PKIStatus.REJECTION);
    assertThat(resp.getTimeStampToken()).isNull();
  }

  @Test
  void mismatchedSignatureBytes() throws Exception {
    X509Certificate r6 = cert(R6);
    byte[] token = read(NG + "timestamp/countersignature/TimeStampToken.p7s");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token, "mismatch".getBytes(StandardCharsets.UTF_8), () -> List.of(r6)))
        .hasMessage(
            "failed to get timestamp from timestamp countersignature with error: invalid TSTInfo:"
                + " mismatched message");
  }

  @Test
  void digiCertRootDoesNotAnchorGlobalSign() throws Exception {
    X509Certificate digiCert = cert(DIGICERT);
    byte[] token = read(NG + "timestamp/countersignature/TimeStampToken.p7s");
    assertThatThrownBy(() -> verifier.verify(token, NOTATION, () -> List.of(digiCert)))
        .hasMessage(
            VERIFY + "cms verification failure: x509: certificate signed by unknown authority");
  }

  @Test
  void jwsEmbeddedTokens() throws Exception {
    X509Certificate r6 = cert(R6);
    X509Certificate digiCert = cert(DIGICERT);
    Map<String, String> genTimes =
        Map.of(
            "jwsWithTimestamp.sig", "2024-06-18T06:29:37Z",
            "jwsExpiredWithTimestamp.sig", "2024-06-18T07:21:42Z",
            "timestampBeforeNotBefore.sig", "2024-06-19T09:30:14Z");
    for (var entry : genTimes.entrySet()) {
      JsonNode jws =
          StrictJson.parseObject(read(NG + "timestamp/sigEnv/" + entry.getKey()), 1 << 20, "jws");
      byte[] token =
          Base64.getDecoder()
              .decode(jws.get("header").get("io.cncf.notary.timestampSignature").asString());
      byte[] signature = Base64.getUrlDecoder().decode(jws.get("signature").asString());
      // The checks against the signing chain (step h) are the workflow's, not this verifier's.
      VerifiedTimestamp ts = verifier.verify(token, signature, () -> List.of(r6));
      assertThat(ts.genTime()).as(entry.getKey()).isEqualTo(Instant.parse(entry.getValue()));
      assertThat(ts.accuracy()).isEqualTo(Duration.ofSeconds(1));
      assertThat(ts.tsaChain().getLast()).isEqualTo(r6);
      assertThatThrownBy(() -> verifier.verify(token, signature, () -> List.of(digiCert)))
          .hasMessage(
              VERIFY + "cms verification failure: x509: certificate signed by unknown authority");
      byte[] other = signature.clone();
      other[0] ^= 1;
      assertThatThrownBy(() -> verifier.verify(token, other, () -> List.of(r6)))
          .hasMessageEndingWith("invalid TSTInfo: mismatched message");
    }
  }

  @Test
  void coseEmbeddedTokens() throws Exception {
    X509Certificate r6 = cert(R6);
    X509Certificate digiCert = cert(DIGICERT);
    Map<String, String> genTimes =
        Map.of(
            "coseWithTimestamp.sig", "2024-06-18T06:27:16Z",
            "coseExpiredWithTimestamp.sig", "2024-06-18T07:21:12Z",
            "timestampAfterNotAfter.sig", "2024-06-19T09:35:58Z");
    for (var entry : genTimes.entrySet()) {
      List<?> sign1 = coseSign1(read(NG + "timestamp/sigEnv/" + entry.getKey()));
      Map<?, ?> unprotected = (Map<?, ?>) sign1.get(1);
      byte[] token = (byte[]) unprotected.get("io.cncf.notary.timestampSignature");
      byte[] signature = (byte[]) sign1.get(3);
      VerifiedTimestamp ts = verifier.verify(token, signature, () -> List.of(r6));
      assertThat(ts.genTime()).as(entry.getKey()).isEqualTo(Instant.parse(entry.getValue()));
      assertThatThrownBy(() -> verifier.verify(token, signature, () -> List.of(digiCert)))
          .hasMessage(
              VERIFY + "cms verification failure: x509: certificate signed by unknown authority");
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  static byte[] read(String path) throws IOException {
    return Files.readAllBytes(Vectors.notary(path));
  }

  static X509Certificate cert(String path) throws Exception {
    try (InputStream in = Files.newInputStream(Vectors.notary(path))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** The TimeStampToken of a DER TimeStampResp. */
  static byte[] tokenOf(byte[] response) throws IOException {
    TimeStampResp resp = TimeStampResp.getInstance(response);
    assertThat(resp.getStatus().getStatus().intValue()).isEqualTo(PKIStatus.GRANTED);
    return resp.getTimeStampToken().getEncoded("DER");
  }

  /** The four items of a (tag 18) COSE_Sign1, decoded by a minimal CBOR reader. */
  static List<?> coseSign1(byte[] cbor) {
    Cbor reader = new Cbor(cbor);
    Object top = reader.next();
    assertThat(top).isInstanceOf(List.class);
    return (List<?>) top;
  }

  /** Just enough CBOR (RFC 8949) for COSE_Sign1: ints, strings, arrays, maps, tags, simple. */
  private static final class Cbor {
    private final byte[] in;
    private int pos;

    Cbor(byte[] in) {
      this.in = in;
    }

    Object next() {
      int initial = in[pos++] & 0xff;
      int major = initial >>> 5;
      long arg = argument(initial & 0x1f);
      return switch (major) {
        case 0 -> arg;
        case 1 -> -1 - arg;
        case 2 -> bytes((int) arg);
        case 3 -> new String(bytes((int) arg), StandardCharsets.UTF_8);
        case 4 -> {
          List<Object> list = new ArrayList<>();
          for (long i = 0; i < arg; i++) {
            list.add(next());
          }
          yield list;
        }
        case 5 -> {
          Map<Object, Object> map = new LinkedHashMap<>();
          for (long i = 0; i < arg; i++) {
            Object key = next();
            map.put(key, next());
          }
          yield map;
        }
        case 6 -> next(); // tag: the content is what matters here
        default -> arg;
      };
    }

    private long argument(int info) {
      if (info < 24) {
        return info;
      }
      int size = 1 << (info - 24);
      long value = 0;
      for (int i = 0; i < size; i++) {
        value = (value << 8) | (in[pos++] & 0xff);
      }
      return value;
    }

    private byte[] bytes(int length) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(in, pos, length);
      pos += length;
      return out.toByteArray();
    }
  }
}
