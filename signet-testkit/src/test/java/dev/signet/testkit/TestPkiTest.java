package dev.signet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestPkiTest {
  @Test
  void builds_a_chain_whose_signatures_verify_only_against_the_real_issuer() throws Exception {
    TestPki.Issued root = TestPki.root("CN=Root,O=Test,ST=WA,C=US").selfSigned();
    TestPki.Issued inter = TestPki.intermediate("CN=Inter,O=Test,ST=WA,C=US").issuedBy(root);
    TestPki.Issued leaf = TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US").issuedBy(inter);
    leaf.certificate().verify(inter.certificate().getPublicKey());
    inter.certificate().verify(root.certificate().getPublicKey());
    assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(inter.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThatThrownBy(() -> leaf.certificate().verify(root.certificate().getPublicKey()))
        .isInstanceOf(java.security.SignatureException.class);
  }
}
