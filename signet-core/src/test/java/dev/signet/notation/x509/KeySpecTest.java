package dev.signet.notation.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.notation.envelope.EnvelopeException;
import dev.signet.notation.envelope.SignatureAlgorithm;
import dev.signet.testkit.TestPki.KeyType;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Notary key specs, the one rule behind the leaf key check and the envelope algorithm. */
class KeySpecTest {
  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSA_2048, PS256",
    "RSA_3072, RSA_3072, PS384",
    "RSA_4096, RSA_4096, PS512",
    "EC_P256, EC_256, ES256",
    "EC_P384, EC_384, ES384",
    "EC_P521, EC_521, ES512"
  })
  void eachSupportedKeyHasItsSpecAndAlgorithm(KeyType type, KeySpec spec, SignatureAlgorithm alg)
      throws Exception {
    PublicKey key = type.generate().getPublic();

    assertThat(KeySpec.of(key)).isEqualTo(spec);
    assertThat(SignatureAlgorithm.forKey(key)).isEqualTo(alg);
  }

  @Test
  void keysOutsideTheSpecsAreRefusedWithTheSameMessageByBothRules() throws Exception {
    // The JDK no longer implements P-224 or brainpool; BouncyCastle makes those keys.
    KeyPairGenerator p224 = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    p224.initialize(new ECGenParameterSpec("secp224r1"));
    KeyPairGenerator brainpool = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    brainpool.initialize(new ECGenParameterSpec("brainpoolP256r1"));
    PublicKey[] keys = {
      KeyType.RSA_1024.generate().getPublic(),
      p224.generateKeyPair().getPublic(),
      brainpool.generateKeyPair().getPublic(),
      KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()
    };
    String[] messages = {
      "rsa key size 1024 bits is not supported",
      "ecdsa key size 224 bits is not supported",
      "ecdsa key on an elliptic curve that is not supported (1.3.36.3.3.2.8.1.1.7): only P-256,"
          + " P-384 and P-521 are allowed",
      "signing certificate key (EdDSA) is not supported: use RSA 2048/3072/4096 or EC"
          + " P-256/P-384/P-521"
    };
    for (int i = 0; i < keys.length; i++) {
      PublicKey key = keys[i];
      assertThatThrownBy(() -> KeySpec.of(key))
          .isInstanceOf(KeySpec.UnsupportedKeyException.class)
          .hasMessage(messages[i]);
      assertThatThrownBy(() -> SignatureAlgorithm.forKey(key))
          .isInstanceOf(EnvelopeException.class)
          .hasMessage(messages[i]);
    }
  }
}
