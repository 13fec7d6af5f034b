package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.json.StrictJson;
import dev.signet.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link JwsEnvelope#verify}: whatever the input, the only failure is an {@link
 * EnvelopeException} with a message. Plain {@code mvn test} replays the seeds in {@code
 * JwsEnvelopeFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes one method for at most 30 s.
 */
class JwsEnvelopeFuzzTest {
  // One fixed certificate so that structured inputs get past the x5c checks.
  private static final String LEAF_X5C = leafX5c();

  /** Raw bytes as the envelope. */
  @FuzzTest(maxDuration = "30s")
  void rawEnvelope(byte[] input) {
    check(input);
  }

  /**
   * A well-formed flattened JWS around a protected header assembled from fuzzed choices (known keys
   * with plausible or fuzzed values, crit lists, extended attributes) and a fuzzed payload, so the
   * header rules and the signature check see most inputs.
   */
  @FuzzTest(maxDuration = "30s")
  void structuredEnvelope(FuzzedDataProvider data) {
    Map<String, Object> header = new LinkedHashMap<>();
    int entries = data.consumeInt(0, 12);
    for (int i = 0; i < entries; i++) {
      String key = data.pickValue(KEYS);
      if (key.isEmpty()) {
        key = data.consumeString(20);
      }
      header.put(key, value(data, key));
    }
    String payloadJson =
        data.consumeBoolean()
            ? "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:00\",\"size\":1}}"
            : data.consumeString(500);
    byte[] signature = data.consumeBytes(600);
    String timestamp = data.consumeBoolean() ? data.consumeString(100) : null;
    Map<String, Object> unprotected = new LinkedHashMap<>();
    unprotected.put("x5c", List.of(LEAF_X5C));
    if (timestamp != null) {
      unprotected.put("io.cncf.notary.timestampSignature", timestamp);
    }
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("payload", base64Url(payloadJson.getBytes(StandardCharsets.UTF_8)));
    envelope.put("protected", base64Url(StrictJson.MAPPER.writeValueAsBytes(header)));
    envelope.put("header", unprotected);
    envelope.put("signature", base64Url(signature));
    check(StrictJson.MAPPER.writeValueAsBytes(envelope));
  }

  private static final String[] KEYS = {
    "alg",
    "cty",
    "crit",
    "io.cncf.notary.signingScheme",
    "io.cncf.notary.signingTime",
    "io.cncf.notary.authenticSigningTime",
    "io.cncf.notary.expiry",
    "io.cncf.notary.verificationPlugin",
    "x5c",
    ""
  };

  private static Object value(FuzzedDataProvider data, String key) {
    int choice = data.consumeInt(0, 3);
    if (choice == 0) {
      return data.consumeString(40);
    }
    if (choice == 1) {
      return data.consumeBoolean() ? (Object) data.consumeLong() : List.of(data.consumeString(20));
    }
    return switch (key) {
      case "alg" -> data.pickValue(new String[] {"ES256", "PS256", "ES384", "RS256", "none"});
      case "cty" -> "application/vnd.cncf.notary.payload.v1+json";
      case "crit" -> {
        List<String> crit = new ArrayList<>();
        int n = data.consumeInt(0, 5);
        for (int i = 0; i < n; i++) {
          String k = data.pickValue(KEYS);
          crit.add(k.isEmpty() ? data.consumeString(20) : k);
        }
        yield crit;
      }
      case "io.cncf.notary.signingScheme" ->
          data.pickValue(new String[] {"notary.x509", "notary.x509.signingAuthority", "x"});
      case "io.cncf.notary.signingTime",
          "io.cncf.notary.authenticSigningTime",
          "io.cncf.notary.expiry" ->
          data.pickValue(
              new String[] {
                "2024-01-02T03:04:05Z",
                "2099-12-31T23:59:59.999999999+14:00",
                "1999-01-01T00:00:00-12:00"
              });
      default -> Map.of(data.consumeString(10), data.consumeString(10));
    };
  }

  private static void check(byte[] input) {
    try {
      EnvelopeContent content = JwsEnvelope.verify(input);
      // Only a real signature gets here; the result must then be complete.
      assertThat(content.certificateChain()).isNotEmpty();
      assertThat(content.signature()).isNotEmpty();
    } catch (EnvelopeException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String leafX5c() {
    TestPki.Issued leaf =
        TestPki.leaf("CN=Fuzz Leaf")
            .keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P256))
            .selfSigned();
    try {
      return Base64.getEncoder().encodeToString(leaf.certificate().getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
