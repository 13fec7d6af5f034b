package dev.signet.notation.revocation;

import dev.signet.notation.x509.Purpose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testkit.TestPki;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RevocationOutcomeTest {
  static X509Certificate leaf;
  static X509Certificate inter;
  static X509Certificate root;
  static final Function<X509Certificate, String> DN =
      c -> "DN(" + c.getSubjectX500Principal().getName() + ")";

  @BeforeAll
  static void pki() {
    TestPki.Issued r = TestPki.root("CN=R").keyType(TestPki.KeyType.EC_P256).selfSigned();
    TestPki.Issued i = TestPki.intermediate("CN=I").keyType(TestPki.KeyType.EC_P256).issuedBy(r);
    leaf = TestPki.leaf("CN=L").keyType(TestPki.KeyType.EC_P256).issuedBy(i).certificate();
    inter = i.certificate();
    root = r.certificate();
  }

  static List<CertificateStatus> statuses(RevocationStatus l, RevocationStatus i) {
    return List.of(
        new CertificateStatus(leaf, l, "l"),
        new CertificateStatus(inter, i, "i"),
        new CertificateStatus(root, RevocationStatus.NON_REVOKABLE, "r"));
  }

  @Test
  void good_and_non_revokable_pass() {
    RevocationOutcome o =
        RevocationOutcome.summarize(
            statuses(RevocationStatus.GOOD, RevocationStatus.NON_REVOKABLE),
            DN,
            Purpose.CODE_SIGNING);
    assertThat(o.passed()).isTrue();
    assertThat(o.message()).isNull();
    assertThat(o.cause()).isNull();
  }

  @Test
  void revoked_wins_over_an_unknown_nearer_the_leaf() {
    RevocationOutcome o =
        RevocationOutcome.summarize(
            statuses(RevocationStatus.UNKNOWN, RevocationStatus.REVOKED), DN, Purpose.CODE_SIGNING);
    assertThat(o.result()).isEqualTo(RevocationOutcome.Result.REVOKED);
    assertThat(o.message()).isEqualTo("signing certificate with subject \"DN(CN=I)\" is revoked");
    assertThat(o.cause().certificate()).isEqualTo(inter);
  }

  @Test
  void unknown_names_the_certificate_nearest_the_leaf() {
    List<CertificateStatus> s = statuses(RevocationStatus.UNKNOWN, RevocationStatus.UNKNOWN);
    assertThat(RevocationOutcome.summarize(s, DN, Purpose.CODE_SIGNING).message())
        .isEqualTo("signing certificate with subject \"DN(CN=L)\" revocation status is unknown");
    assertThat(RevocationOutcome.summarize(s, DN, Purpose.TIMESTAMPING).message())
        .isEqualTo(
            "timestamping certificate with subject \"DN(CN=L)\" revocation status is unknown");
  }

  @Test
  void timestamping_revoked_message() {
    assertThat(
            RevocationOutcome.summarize(
                    statuses(RevocationStatus.REVOKED, RevocationStatus.GOOD),
                    DN,
                    Purpose.TIMESTAMPING)
                .message())
        .isEqualTo("timestamping certificate with subject \"DN(CN=L)\" is revoked");
  }
}
