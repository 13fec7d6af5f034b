package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.cbor.Cbor;
import dev.signet.cbor.CborException;
import dev.signet.cbor.CborLimits;
import dev.signet.cbor.CborValue;

/**
 * Fuzz targets for the COSE envelope and the CBOR decoder: only the declared exceptions may come
 * out. Seeds live in {@code CoseEnvelopeFuzzTestInputs/<method>/}; in a normal {@code mvn test}
 * they run as regression inputs. Fuzz with {@code JAZZER_FUZZ=1} and one method selected.
 */
class CoseEnvelopeFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void verify(byte[] input) {
    try {
      EnvelopeContent content = CoseEnvelope.verify(input);
      // Only a genuinely signed seed gets here; its content must be complete.
      assertThat(content.certificateChain()).isNotEmpty();
      assertThat(content.signature()).isNotEmpty();
    } catch (EnvelopeException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void cborDecode(byte[] input) {
    CborValue value;
    try {
      value = Cbor.decode(input, CborLimits.DEFAULT);
    } catch (CborException expected) {
      assertThat(expected.offset()).isBetween(0L, (long) input.length);
      return;
    }
    // What we accept we can re-encode canonically, and that decodes to the same value.
    try {
      assertThat(Cbor.decode(Cbor.encode(value), CborLimits.DEFAULT)).isEqualTo(value);
    } catch (CborException e) {
      throw new AssertionError("canonical re-encoding of an accepted value was rejected", e);
    }
  }
}
