package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;

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
   * A well-formed flattened JWS around fuzzed protected header and payload JSON, so the header
   * rules and the signature check see most inputs.
   */
  @FuzzTest(maxDuration = "30s")
  void structuredEnvelope(FuzzedDataProvider data) {
    String protectedJson = data.consumeString(2000);
    String payloadJson = data.consumeString(2000);
    byte[] signature = data.consumeBytes(600);
    String timestamp = data.consumeBoolean() ? data.consumeString(100) : null;
    String envelope =
        "{\"payload\":\""
            + base64Url(payloadJson)
            + "\",\"protected\":\""
            + base64Url(protectedJson)
            + "\",\"header\":{\"x5c\":[\""
            + LEAF_X5C
            + "\"]"
            + (timestamp == null
                ? ""
                : ",\"io.cncf.notary.timestampSignature\":" + quote(timestamp))
            + "},\"signature\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(signature)
            + "\"}";
    check(envelope.getBytes(StandardCharsets.UTF_8));
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

  private static String base64Url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\' || c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
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
