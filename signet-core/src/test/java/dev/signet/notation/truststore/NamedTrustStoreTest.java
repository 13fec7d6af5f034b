package dev.signet.notation.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedTrustStoreTest {
  private static final String X509 = "notation-go/verifier/testdata/truststore/x509/";
  private static final String E2E = "notation/test/e2e/testdata/config/";

  private static TestPki.Issued root;
  private static TestPki.Issued inter;
  private static TestPki.Issued caLeaf;
  private static TestPki.Issued selfLeaf;

  @BeforeAll
  static void pki() {
    root = TestPki.root("CN=Named Root").selfSigned();
    inter = TestPki.intermediate("CN=Named Inter").issuedBy(root);
    caLeaf = TestPki.leaf("CN=Named Leaf").keyType(TestPki.KeyType.EC_P256).issuedBy(inter);
    selfLeaf = TestPki.leaf("CN=Named Self").keyType(TestPki.KeyType.EC_P256).selfSigned();
  }

  private static Path write(Path dir, String name, X509Certificate... certs) throws Exception {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate c : certs) {
      pem.append("-----BEGIN CERTIFICATE-----\n")
          .append(java.util.Base64.getMimeEncoder().encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return Files.writeString(dir.resolve(name), pem);
  }

  @Test
  void files_and_directories_from_the_vectors() throws Exception {
    Path caDir = Vectors.notary(X509 + "ca/valid-trust-store");
    Path e2eCert = Vectors.notary(E2E + "localkeys/e2e.crt");
    Path gsR6 = Vectors.notary(E2E + "timestamp/globalsignTSARoot.cer");
    Path digicert = Vectors.notary(E2E + "timestamp/DigiCertTSARootSHA384.cer");
    NamedTrustStore store =
        NamedTrustStore.of(
            Map.of(
                StoreType.CA, Map.of("valid", List.of(caDir), "e2e", List.of(e2eCert)),
                StoreType.TSA, Map.of("e2e", List.of(gsR6, digicert))));
    assertThat(store.certificates(StoreType.CA, "valid")).hasSize(6);
    assertThat(store.certificates(StoreType.CA, "e2e")).hasSize(1);
    assertThat(store.certificates(StoreType.TSA, "e2e")).hasSize(2);
    assertThat(store.names(StoreType.CA)).containsExactlyInAnyOrder("valid", "e2e");
    assertThatThrownBy(() -> store.certificates(StoreType.SIGNING_AUTHORITY, "valid"))
        .hasMessage("the trust store \"valid\" of type \"signingAuthority\" does not exist");
    assertThatThrownBy(() -> store.certificates(StoreType.CA, "other"))
        .hasMessage("the trust store \"other\" of type \"ca\" does not exist");
  }

  @Test
  void content_errors_name_the_store() {
    Path invalid = Vectors.notary(E2E + "timestamp/invalid.crt");
    Path empty = Vectors.notary(E2E + "timestamp/Empty.txt");
    Path intermediate = Vectors.notary(E2E + "timestamp/intermediate.pem");
    Path notSelfIssued = Vectors.notary(E2E + "timestamp/notSelfIssued.crt");
    Path leafStore = Vectors.notary(X509 + "ca/trust-store-with-leaf-certs");
    assertThatThrownBy(
            () -> NamedTrustStore.of(Map.of(StoreType.TSA, Map.of("t", List.of(invalid)))))
        .hasMessageStartingWith(
            "failed to read the trusted certificate invalid.crt in trust store t of type tsa");
    assertThatThrownBy(() -> NamedTrustStore.of(Map.of(StoreType.TSA, Map.of("t", List.of(empty)))))
        .hasMessageStartingWith(
            "failed to read the trusted certificate Empty.txt in trust store t of type tsa");
    assertThatThrownBy(
            () -> NamedTrustStore.of(Map.of(StoreType.TSA, Map.of("t", List.of(intermediate)))))
        .hasMessageStartingWith(
            "trusted certificate intermediate.pem in trust store t of type tsa is invalid")
        .hasMessageContaining("is not a root CA certificate");
    assertThatThrownBy(
            () -> NamedTrustStore.of(Map.of(StoreType.TSA, Map.of("t", List.of(notSelfIssued)))))
        .hasMessageContaining("is not a root CA certificate");
    assertThatThrownBy(
            () -> NamedTrustStore.of(Map.of(StoreType.CA, Map.of("c", List.of(leafStore)))))
        .hasMessageStartingWith(
            "failed to validate the trusted certificate non-ca.crt in trust store c of type ca");
  }

  @Test
  void path_errors(@TempDir Path dir) throws Exception {
    // A missing path is reported, and the store it belongs to fails every lookup (fail closed).
    NamedTrustStore withMissing =
        NamedTrustStore.of(Map.of(StoreType.CA, Map.of("c", List.of(dir.resolve("none")))));
    assertThat(withMissing.missingPaths())
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("trust store \"c\" of type \"ca\"")
        .contains(dir.resolve("none") + " does not exist");
    assertThatThrownBy(() -> withMissing.certificates(StoreType.CA, "c"))
        .hasMessageContaining("trust store \"c\" of type \"ca\"")
        .hasMessageContaining("does not exist");
    Path emptyDir = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(
            () -> NamedTrustStore.of(Map.of(StoreType.CA, Map.of("c", List.of(emptyDir)))))
        .hasMessage("no x509 certificates were found in trust store \"c\" of type \"ca\"");
    assertThatThrownBy(
            () -> NamedTrustStore.of(Map.of(StoreType.CA, Map.of("../c", List.of(emptyDir)))))
        .hasMessageContaining("[a-zA-Z0-9_.-]+");
  }

  @Test
  void kubernetes_style_mounts_are_followed(@TempDir Path dir) throws Exception {
    // A secret volume: ..<timestamp>/ holds the files, ..data links to it, and each visible name
    // links through ..data.
    Path real = Files.createDirectories(dir.resolve("mount/..2026_11_28_00_00_00.1"));
    write(real, "ca.crt", root.certificate());
    write(real, "self.crt", selfLeaf.certificate());
    Path mount = dir.resolve("mount");
    Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_11_28_00_00_00.1"));
    Files.createSymbolicLink(mount.resolve("ca.crt"), Path.of("..data/ca.crt"));
    Files.createSymbolicLink(mount.resolve("self.crt"), Path.of("..data/self.crt"));
    Files.createDirectories(mount.resolve("nested"));
    NamedTrustStore store = NamedTrustStore.of(Map.of(StoreType.CA, Map.of("k8s", List.of(mount))));
    assertThat(store.certificates(StoreType.CA, "k8s"))
        .containsExactly(root.certificate(), selfLeaf.certificate());
    // Listing the same file twice loads it once.
    NamedTrustStore twice =
        NamedTrustStore.of(
            Map.of(
                StoreType.CA,
                Map.of("k8s", List.of(mount.resolve("ca.crt"), mount.resolve("ca.crt")))));
    assertThat(twice.certificates(StoreType.CA, "k8s")).hasSize(1);
  }

  @Test
  void verification_certs_serve_every_name_and_keep_only_anchors(@TempDir Path dir)
      throws Exception {
    Path bundle =
        write(dir, "bundle.pem", caLeaf.certificate(), inter.certificate(), root.certificate());
    Path self = write(dir, "self.pem", selfLeaf.certificate());
    NamedTrustStore store = NamedTrustStore.fromVerificationCerts(List.of(bundle, self));
    assertThat(store.certificates(StoreType.CA, "anything"))
        .containsExactly(inter.certificate(), root.certificate(), selfLeaf.certificate());
    assertThat(store.certificates(StoreType.SIGNING_AUTHORITY, "other"))
        .isEqualTo(store.certificates(StoreType.CA, "anything"));
    assertThat(store.certificates(StoreType.TSA, "tsa")).containsExactly(root.certificate());
  }

  @Test
  void verification_certs_without_anchors(@TempDir Path dir) throws Exception {
    Path leafOnly = write(dir, "leaf.pem", caLeaf.certificate());
    assertThatThrownBy(() -> NamedTrustStore.fromVerificationCerts(List.of(leafOnly)))
        .hasMessage(
            "valid certificates must be provided, only CA certificates or self-signed signing"
                + " certificates are supported");
    Path self = write(dir, "self.pem", selfLeaf.certificate());
    NamedTrustStore store = NamedTrustStore.fromVerificationCerts(List.of(self, leafOnly));
    assertThat(store.certificates(StoreType.CA, "x")).containsExactly(selfLeaf.certificate());
    assertThatThrownBy(() -> store.certificates(StoreType.TSA, "x"))
        .hasMessage("no x509 certificates were found in trust store \"x\" of type \"tsa\"");
    Path broken = Files.writeString(dir.resolve("broken.pem"), "not a cert");
    assertThatThrownBy(() -> NamedTrustStore.fromVerificationCerts(List.of(self, broken)))
        .hasMessageStartingWith("failed to read the verification certificate " + broken);
  }

  @Test
  void verification_certs_from_a_vector_directory() throws Exception {
    NamedTrustStore store =
        NamedTrustStore.fromVerificationCerts(
            List.of(Vectors.notary(X509 + "ca/trust-store-with-leaf-certs")));
    // The CA-issued non-ca.crt is filtered out rather than failing, as in Ratify.
    assertThat(store.certificates(StoreType.CA, "any")).hasSize(1);
  }

  @Test
  void shared_between_threads(@TempDir Path dir) throws Exception {
    Path ca = write(dir, "ca.pem", root.certificate());
    NamedTrustStore store = NamedTrustStore.of(Map.of(StoreType.CA, Map.of("c", List.of(ca))));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<X509Certificate>>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        results.add(pool.submit(() -> store.certificates(StoreType.CA, "c")));
      }
      for (Future<List<X509Certificate>> f : results) {
        assertThat(f.get()).containsExactly(root.certificate());
      }
    } finally {
      pool.shutdownNow();
    }
    List<X509Certificate> certs = store.certificates(StoreType.CA, "c");
    assertThatThrownBy(certs::clear).isInstanceOf(UnsupportedOperationException.class);
  }
}
