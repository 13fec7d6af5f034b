package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PssSaltRecoveryTest {
  private static final byte[] MESSAGE = "protected.payload".getBytes(StandardCharsets.US_ASCII);

  static byte[] sign(KeyPair pair, SignatureAlgorithm alg, String hash, int salt, byte[] message)
      throws Exception {
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, 1));
    s.initSign(pair.getPrivate());
    s.update(message);
    return s.sign();
  }

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, PS256, 0",
    "RSA_2048, PS256, 1",
    "RSA_2048, PS256, 20",
    "RSA_2048, PS256, 32",
    "RSA_2048, PS256, 222", // the largest salt a 2048-bit key can carry with SHA-256
    "RSA_3072, PS384, 0",
    "RSA_3072, PS384, 48",
    "RSA_4096, PS512, 64",
    "RSA_4096, PS512, 100"
  })
  void recoversAnySaltLength(TestPki.KeyType type, SignatureAlgorithm alg, int salt)
      throws Exception {
    KeyPair pair = TestPki.sharedKey(type);
    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
    byte[] signature = sign(pair, alg, alg.hash(), salt, MESSAGE);

    assertThat(PssSaltRecovery.verify(key, alg, MESSAGE, signature)).isTrue();

    byte[] other = "protected.payloaD".getBytes(StandardCharsets.US_ASCII);
    assertThat(PssSaltRecovery.verify(key, alg, other, signature)).isFalse();
    byte[] flipped = signature.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThat(PssSaltRecovery.verify(key, alg, MESSAGE, flipped)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"PS256, SHA-384", "PS256, SHA-512", "PS384, SHA-256"})
  void rejectsAnotherHash(SignatureAlgorithm alg, String signedWith) throws Exception {
    KeyPair pair = TestPki.sharedKey(TestPki.KeyType.RSA_2048);
    byte[] signature = sign(pair, alg, signedWith, 20, MESSAGE);
    assertThat(PssSaltRecovery.verify((RSAPublicKey) pair.getPublic(), alg, MESSAGE, signature))
        .isFalse();
  }

  @ParameterizedTest
  @CsvSource({"RSA_2048", "RSA_3072"})
  void rejectsWrongLengthsAndOutOfRangeValues(TestPki.KeyType type) throws Exception {
    KeyPair pair = TestPki.sharedKey(type);
    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
    SignatureAlgorithm alg = SignatureAlgorithm.PS256;
    byte[] signature = sign(pair, alg, alg.hash(), 32, MESSAGE);
    assertThat(
            PssSaltRecovery.verify(
                key, alg, MESSAGE, java.util.Arrays.copyOf(signature, signature.length - 1)))
        .isFalse();
    byte[] longer = new byte[signature.length + 1];
    System.arraycopy(signature, 0, longer, 1, signature.length);
    assertThat(PssSaltRecovery.verify(key, alg, MESSAGE, longer)).isFalse();
    byte[] allOnes = new byte[signature.length];
    java.util.Arrays.fill(allOnes, (byte) 0xff);
    assertThat(PssSaltRecovery.verify(key, alg, MESSAGE, allOnes)).isFalse();
    assertThat(PssSaltRecovery.verify(key, alg, MESSAGE, new byte[signature.length])).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"RSA_2048"})
  void rejectsPkcs1Signatures(TestPki.KeyType type) throws Exception {
    KeyPair pair = TestPki.sharedKey(type);
    Signature pkcs1 = Signature.getInstance("SHA256withRSA");
    pkcs1.initSign(pair.getPrivate());
    pkcs1.update(MESSAGE);
    assertThat(
            PssSaltRecovery.verify(
                (RSAPublicKey) pair.getPublic(), SignatureAlgorithm.PS256, MESSAGE, pkcs1.sign()))
        .isFalse();
  }
}
