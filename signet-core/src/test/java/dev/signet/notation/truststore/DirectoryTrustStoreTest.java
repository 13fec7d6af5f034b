package dev.signet.notation.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.notation.x509.GoNameFormat;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** notation-go's trust-store test data (MANIFEST "notation-go: trust stores"), read in place. */
class DirectoryTrustStoreTest {
  private static final String X509 = "notation-go/verifier/testdata/truststore/x509/";
  private DirectoryTrustStore store;

  @BeforeEach
  void open() {
    store = new DirectoryTrustStore(Vectors.notary("notation-go/verifier/testdata"));
  }

  @Test
  void valid_ca_store_with_roots_and_self_signed_leaves() throws Exception {
    List<X509Certificate> certs = store.certificates(StoreType.CA, "valid-trust-store");
    assertThat(certs).hasSize(6);
    assertThat(certs.stream().map(GoNameFormat::subjectOf))
        .containsExactly(
            "CN=GlobalSign,OU=GlobalSign Root CA - R3,O=GlobalSign",
            "CN=GlobalSign,OU=GlobalSign Root CA - R3,O=GlobalSign",
            "CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US",
            "CN=alpine,O=Notary,L=Seattle,ST=WA,C=US",
            "CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US",
            "CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US");
    assertThatThrownBy(() -> certs.add(certs.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void other_valid_stores() throws Exception {
    assertThat(store.certificates(StoreType.CA, "valid-trust-store-2")).hasSize(2);
    assertThat(store.certificates(StoreType.SIGNING_AUTHORITY, "valid-trust-store-2")).hasSize(2);
    assertThat(store.certificates(StoreType.SIGNING_AUTHORITY, "valid-trust-store")).hasSize(3);
    assertThat(store.certificates(StoreType.CA, "valid-trust-store-self-signed")).hasSize(1);
    assertThat(store.certificates(StoreType.TSA, "test-timestamp")).hasSize(1);
    assertThat(store.certificates(StoreType.TSA, "test-mismatch")).hasSize(1);
  }

  @Test
  void unparseable_file() {
    assertThatThrownBy(() -> store.certificates(StoreType.CA, "trust-store-with-invalid-certs"))
        .isInstanceOf(TrustStoreException.class)
        .hasMessageStartingWith(
            "failed to read the trusted certificate invalid in trust store"
                + " trust-store-with-invalid-certs of type ca");
  }

  @Test
  void ca_issued_leaf_is_refused() {
    assertThatThrownBy(() -> store.certificates(StoreType.CA, "trust-store-with-leaf-certs"))
        .hasMessageStartingWith(
            "failed to validate the trusted certificate non-ca.crt in trust store"
                + " trust-store-with-leaf-certs of type ca")
        .hasMessageContaining(
            "certificate with subject \"CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US\" is"
                + " not a CA certificate or self-signed signing certificate");
    assertThatThrownBy(
            () -> store.certificates(StoreType.CA, "trust-store-with-leaf-certs-in-single-file"))
        .hasMessageStartingWith(
            "failed to validate the trusted certificate RootAndLeafCerts.crt in trust store"
                + " trust-store-with-leaf-certs-in-single-file of type ca");
  }

  @Test
  void tsa_stores_hold_only_root_cas() {
    assertThatThrownBy(() -> store.certificates(StoreType.TSA, "test-nonCA"))
        .hasMessage(
            "trusted certificate wabbit-networks.io.crt in trust store test-nonCA of type tsa is"
                + " invalid: certificate with subject"
                + " \"CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US\" is not a root CA"
                + " certificate: x509: invalid signature: parent certificate cannot sign this kind"
                + " of certificate");
    assertThatThrownBy(() -> store.certificates(StoreType.TSA, "test-nonSelfIssued"))
        .hasMessage(
            "trusted certificate nonSelfIssued.crt in trust store test-nonSelfIssued of type tsa"
                + " is invalid: certificate with subject \"CN=Notation Test Revokable RSA Chain"
                + " Cert 2,O=Notary,L=Seattle,ST=WA,C=US\" is not a root CA certificate: issuer"
                + " (CN=Notation Test Revokable RSA Chain Cert Root,O=Notary,L=Seattle,ST=WA,C=US)"
                + " and subject (CN=Notation Test Revokable RSA Chain Cert"
                + " 2,O=Notary,L=Seattle,ST=WA,C=US) are not the same");
  }

  @Test
  void missing_store() {
    assertThatThrownBy(() -> store.certificates(StoreType.CA, "no-such-store"))
        .hasMessage("the trust store \"no-such-store\" of type \"ca\" does not exist");
    // A store of another type with the same name is not found either.
    assertThatThrownBy(() -> store.certificates(StoreType.TSA, "valid-trust-store"))
        .hasMessage("the trust store \"valid-trust-store\" of type \"tsa\" does not exist");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "a b", "..%2f", "ca\\x", "é"})
  void store_names_must_be_plain(String name) {
    assertThatThrownBy(() -> store.certificates(StoreType.CA, name))
        .isInstanceOf(TrustStoreException.class)
        .hasMessageContaining("[a-zA-Z0-9_.-]+");
  }

  // ---- cases that need a real file system (symlinks, empty stores) ----

  @Test
  void symlinked_store_is_refused(@TempDir Path root) throws Exception {
    Path placeholder =
        Vectors.notary(X509 + "ca/valid-trust-store_SYMLINK/valid-trust-store_SYMLINK");
    // The snapshot stores the upstream symlink as a file holding its target
    // ("ca/valid-trust-store").
    String target = Files.readString(placeholder).trim();
    assertThat(target).isEqualTo("ca/valid-trust-store");
    Path caDir = Files.createDirectories(root.resolve("truststore/x509/ca"));
    Path link = caDir.resolve("valid-trust-store_SYMLINK");
    Files.createSymbolicLink(link, Vectors.notary(X509 + target));
    DirectoryTrustStore temp = new DirectoryTrustStore(root);
    assertThatThrownBy(() -> temp.certificates(StoreType.CA, "valid-trust-store_SYMLINK"))
        .hasMessage(
            "the trust store valid-trust-store_SYMLINK of type ca with path "
                + link
                + " is not a regular directory (symlinks are not supported)");
  }

  @Test
  void symlinked_certificate_is_refused(@TempDir Path root) throws Exception {
    Path source = Vectors.notary(X509 + "trust-store-with-cert-symlinks");
    String target = Files.readString(source.resolve("GlobalSignRootCA_SYMLINK.crt")).trim();
    Path dir =
        Files.createDirectories(root.resolve("truststore/x509/ca/trust-store-with-cert-symlinks"));
    Files.copy(source.resolve(target), dir.resolve(target));
    Files.createSymbolicLink(dir.resolve("GlobalSignRootCA_SYMLINK.crt"), Path.of(target));
    DirectoryTrustStore temp = new DirectoryTrustStore(root);
    assertThatThrownBy(() -> temp.certificates(StoreType.CA, "trust-store-with-cert-symlinks"))
        .hasMessage(
            "trusted certificate GlobalSignRootCA_SYMLINK.crt in trust store"
                + " trust-store-with-cert-symlinks of type ca is not a regular file (directories or"
                + " symlinks are not supported)");
    // Without the link the store loads.
    Files.delete(dir.resolve("GlobalSignRootCA_SYMLINK.crt"));
    assertThat(temp.certificates(StoreType.CA, "trust-store-with-cert-symlinks")).hasSize(1);
  }

  @Test
  void sub_directory_is_refused(@TempDir Path root) throws Exception {
    // notation-go's behaviour, stricter than the specification (which says to ignore it).
    Path source = Vectors.notary(X509 + "trust-store-with-directories");
    Path dir =
        Files.createDirectories(root.resolve("truststore/x509/ca/trust-store-with-directories"));
    Files.copy(source.resolve("GlobalSignRootCA.crt"), dir.resolve("GlobalSignRootCA.crt"));
    Files.createDirectories(dir.resolve("sub-dir"));
    Files.writeString(dir.resolve("sub-dir/.gitkeep"), "");
    DirectoryTrustStore temp = new DirectoryTrustStore(root);
    assertThatThrownBy(() -> temp.certificates(StoreType.CA, "trust-store-with-directories"))
        .hasMessage(
            "trusted certificate sub-dir in trust store trust-store-with-directories of type ca"
                + " is not a regular file (directories or symlinks are not supported)");
  }

  @Test
  void empty_store_and_store_that_is_a_file(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("truststore/x509/signingAuthority/empty"));
    Files.createDirectories(root.resolve("truststore/x509/ca"));
    Files.writeString(root.resolve("truststore/x509/ca/file"), "x");
    DirectoryTrustStore temp = new DirectoryTrustStore(root);
    assertThatThrownBy(() -> temp.certificates(StoreType.SIGNING_AUTHORITY, "empty"))
        .hasMessage(
            "no x509 certificates were found in trust store \"empty\" of type"
                + " \"signingAuthority\"");
    assertThatThrownBy(() -> temp.certificates(StoreType.CA, "file"))
        .hasMessageContaining("is not a regular directory");
  }

  @Test
  void every_file_is_read_whatever_its_extension(@TempDir Path root) throws Exception {
    Path dir = Files.createDirectories(root.resolve("truststore/x509/ca/mine"));
    TestPki.Issued ca = TestPki.root("CN=Mine Root").selfSigned();
    TestPki.Issued selfLeaf = TestPki.leaf("CN=Mine Leaf").selfSigned();
    Files.write(dir.resolve("root.bin"), ca.certificate().getEncoded());
    Files.write(dir.resolve("noext"), selfLeaf.certificate().getEncoded());
    DirectoryTrustStore temp = new DirectoryTrustStore(root);
    assertThat(temp.certificates(StoreType.CA, "mine"))
        .containsExactly(selfLeaf.certificate(), ca.certificate());
    // The same files as a TSA store: the self-signed leaf is not a root CA.
    Path tsa = Files.createDirectories(root.resolve("truststore/x509/tsa/mine"));
    Files.write(tsa.resolve("root.bin"), ca.certificate().getEncoded());
    assertThat(temp.certificates(StoreType.TSA, "mine")).containsExactly(ca.certificate());
    Files.write(tsa.resolve("leaf.crt"), selfLeaf.certificate().getEncoded());
    assertThatThrownBy(() -> temp.certificates(StoreType.TSA, "mine"))
        .hasMessageStartingWith(
            "trusted certificate leaf.crt in trust store mine of type tsa is invalid");
  }
}
