package dev.signet.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.TestPki;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;

class KeyBindingTest {
  private static final TestPki.Issued RSA =
      TestPki.root("CN=rsa").keyPair(TestPki.sharedKey(TestPki.KeyType.RSA_2048)).selfSigned();
  private static final TestPki.Issued EC =
      TestPki.root("CN=ec").keyPair(TestPki.sharedKey(TestPki.KeyType.EC_P256)).selfSigned();

  @Test
  void a_key_belongs_to_the_certificate_of_its_public_key() throws Exception {
    assertThat(KeyBinding.belongs(RSA.privateKey(), RSA.certificate())).isTrue();
    assertThat(KeyBinding.belongs(EC.privateKey(), EC.certificate())).isTrue();
  }

  @Test
  void another_key_of_the_same_type_does_not() throws Exception {
    PrivateKey other = TestPki.KeyType.EC_P256.generate().getPrivate();

    assertThat(KeyBinding.belongs(other, EC.certificate())).isFalse();
  }

  @Test
  void a_key_of_another_type_fails_the_probe() {
    assertThatThrownBy(() -> KeyBinding.belongs(EC.privateKey(), RSA.certificate()))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void a_key_type_without_a_probe_is_named() throws Exception {
    PrivateKey dsa = KeyPairGenerator.getInstance("DSA").generateKeyPair().getPrivate();

    assertThat(KeyBinding.probeAlgorithm(dsa)).isEmpty();
    assertThat(KeyBinding.probeAlgorithm(RSA.privateKey())).contains("SHA256withRSA");
    assertThatThrownBy(() -> KeyBinding.belongs(dsa, RSA.certificate()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("DSA");
  }
}
