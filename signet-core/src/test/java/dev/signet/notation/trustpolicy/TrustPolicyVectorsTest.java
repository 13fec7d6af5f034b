package dev.signet.notation.trustpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.notation.truststore.StoreType;
import dev.signet.testkit.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every notation CLI e2e trust policy ({@code test/e2e/testdata/config/trustpolicies/}) with the
 * outcome MANIFEST.md gives for it ("Trust policies" table).
 */
class TrustPolicyVectorsTest {
  private static final String DIR = "notation/test/e2e/testdata/config/trustpolicies/";
  private static final String VALID = "";

  /** File name to the expected message fragment; {@link #VALID} for valid documents. */
  private static final Map<String, String> EXPECTED = expected();

  private static Map<String, String> expected() {
    Map<String, String> m = new TreeMap<>();
    for (String f :
        List.of(
            "trustpolicy.json",
            "any_registry_scope_trust_policy.json",
            "registry_scope_trustpolicy.json",
            "multiple_registry_scope_trustpolicy.json",
            "multi_statements_with_wildcard_registry_scope_trustpolicy.json",
            "multiple_trust_store_trustpolicy.json",
            "multiple_trusted_identity_trustpolicy.json",
            "quickstart_trustpolicy.json",
            "generate_test_trustpolicy.json",
            "timestamp_trustpolicy.json",
            "timestamp_after_cert_expiry_trustpolicy.json",
            "permissive_trustpolicy.json",
            "audit_trustpolicy.json",
            "override_strict_trustpolicy.json",
            "override_permissive_trustpolicy.json",
            "override_audit_trustpolicy.json",
            "skip_trustpolicy.json",
            "valid_trusted_identity_trustpolicy.json",
            "invalid_trusted_identity_trustpolicy.json",
            "invalid_trust_store_trustpolicy.json",
            "overlapped_trust_store_trustpolicy.json",
            "invalid_registry_scope_trustpolicy.json")) {
      m.put(f, VALID);
    }
    m.put(
        "override_integrity_for_permissive_trustpolicy.json",
        "trust policy statement \"e2e\" has invalid signatureVerification: \"integrity\""
            + " verification can not be overridden in custom signature verification");
    m.put(
        "unset_trusted_identity_trustpolicy.json",
        "trust policy statement \"e2e\" is either missing trust stores or trusted identities, both"
            + " must be specified");
    m.put(
        "unset_trust_store_trustpolicy.json",
        "trust policy statement \"e2e\" is either missing trust stores or trusted identities, both"
            + " must be specified");
    m.put(
        "empty_trusted_identity_trustpolicy.json",
        "trust policy statement \"e2e\" has an empty trusted identity");
    m.put(
        "malformed_trusted_identity_trustpolicy.json",
        "trust policy statement \"e2e\" has trusted identity \"x509.subject"
            + " CN=e2e,O=Notary,L=Seattle,ST=WA,C=US\" missing separator");
    m.put(
        "overlapped_trusted_identity_trustpolicy.json",
        // The smaller set is reported first, as notation's pairwise loop does.
        "trust policy statement \"e2e\" has overlapping x509 trustedIdentities, \"x509.subject:"
            + " CN=e2e,O=Notary,ST=WA,C=US\" overlaps with \"x509.subject:"
            + " CN=e2e,O=Notary,L=Seattle,ST=WA,C=US\"");
    m.put(
        "wildcard_plus_other_trusted_identity_trustpolicy.json",
        "trust policy statement \"e2e\" uses a wildcard trusted identity '*', a wildcard identity"
            + " cannot be used in conjunction with other values");
    m.put(
        "missing_organization_trusted_identity_trustpolicy.json",
        "distinguished name (DN) \" CN=e2e,L=Seattle,ST=WA,C=US\" has no mandatory RDN attribute"
            + " for \"O\", it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum");
    m.put(
        "missing_state_trusted_identity_trustpolicy.json",
        "distinguished name (DN) \" CN=e2e,O=Notary,L=Seattle,C=US\" has no mandatory RDN"
            + " attribute for \"ST\", it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a"
            + " minimum");
    m.put(
        "missing_country_trusted_identity_trustpolicy.json",
        "distinguished name (DN) \" CN=e2e,O=Notary,L=Seattle,ST=WA\" has no mandatory RDN"
            + " attribute for \"C\", it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a"
            + " minimum");
    m.put(
        "malformed_trust_store_trustpolicy.json",
        "trust policy statement \"e2e\" uses an unsupported trust store name \"\" in trust store"
            + " value \"ca:\". Named store name needs to follow [a-zA-Z0-9_.-]+ format");
    m.put(
        "wildcard_trust_store_trustpolicy.json",
        "trust policy statement \"e2e\" has malformed trust store value \"*\". The required format"
            + " is <TrustStoreType>:<TrustStoreName>");
    m.put(
        "empty_registry_scope_trustpolicy.json",
        "trust policy statement \"e2e\" has zero registry scopes, it must specify registry scopes"
            + " with at least one value");
    m.put(
        "malformed_registry_scope_trustpolicy.json",
        "registry scope \"localhost:5000\\\\test-repo\" is not valid, make sure it is a fully"
            + " qualified repository without the scheme, protocol or tag. For example"
            + " domain.com/my/repository or a local scope like local/myOCILayout");
    m.put(
        "overlapped_registry_scope_trustpolicy.json",
        "registry scope \"localhost:5000/test-repo6\" is present in multiple oci trust policy"
            + " statements, one registry scope value can only be associated with one statement");
    m.put(
        "wildcard_plus_other_registry_scope_trustpolicy.json",
        "trust policy statement \"e2e\" uses wildcard registry scope '*', a wildcard scope cannot"
            + " be used in conjunction with other scope values");
    m.put(
        "multi_statements_with_the_same_registry_scope_trustpolicy.json",
        "registry scope \"localhost:5000/test-repo8\" is present in multiple oci trust policy"
            + " statements, one registry scope value can only be associated with one statement");
    m.put(
        "multi_statements_with_multi_wildcard_registry_scope_trustpolicy.json",
        "registry scope \"*\" is present in multiple oci trust policy statements, one registry"
            + " scope value can only be associated with one statement");
    m.put(
        "multi_statements_with_the_same_name_trustpolicy.json",
        "multiple oci trust policy statements use the same name \"e2e\", statement names must be"
            + " unique");
    m.put("invalid_format_trustpolicy.json", "malformed trust policy");
    // A blob policy (no registryScopes, a globalPolicy key): not an OCI policy document.
    m.put("blob_trust_policy.json", "unknown key \"globalPolicy\"");
    return m;
  }

  static Stream<Arguments> files() {
    return EXPECTED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  private static byte[] read(String file) throws IOException {
    return Files.readAllBytes(Vectors.notary(DIR + file));
  }

  @Test
  void every_vector_file_has_an_expected_outcome() throws IOException {
    Path dir = Vectors.notary(DIR);
    TreeSet<String> present = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.toString().endsWith(".json"))
          .forEach(p -> present.add(p.getFileName().toString()));
    }
    assertThat(present).isEqualTo(new TreeSet<>(EXPECTED.keySet()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void vector_has_the_expected_outcome(String file, String expected) throws IOException {
    byte[] json = read(file);
    if (expected.equals(VALID)) {
      TrustPolicyDocument doc = parseUnchecked(json);
      assertThat(doc.version()).isEqualTo("1.0");
      assertThat(doc.statements()).isNotEmpty();
      // Reading a document back through of() gives the same value.
      assertThat(ofUnchecked(doc)).isEqualTo(doc);
    } else {
      assertThatThrownBy(() -> TrustPolicyDocument.parse(json))
          .isInstanceOf(TrustPolicyException.class)
          .hasMessageContaining(expected);
    }
  }

  @Test
  void trustpolicy_json_is_strict_on_every_repository_with_the_e2e_store() throws Exception {
    TrustPolicyDocument doc = TrustPolicyDocument.parse(read("trustpolicy.json"));
    TrustPolicyStatement s = doc.statementFor("localhost:5000/e2e@sha256:abc");
    assertThat(s.name()).isEqualTo("e2e");
    assertThat(s.registryScopes()).containsExactly("*");
    assertThat(s.signatureVerification())
        .isEqualTo(SignatureVerification.of(VerificationLevel.STRICT));
    assertThat(s.trustStores()).containsExactly(new TrustStoreRef(StoreType.CA, "e2e"));
    assertThat(s.trustedIdentities()).containsExactly("*");
  }

  @Test
  void skip_on_the_global_scope_is_accepted_for_compatibility() throws Exception {
    TrustPolicyDocument doc = TrustPolicyDocument.parse(read("skip_trustpolicy.json"));
    TrustPolicyStatement s = doc.statementFor("localhost:5000/e2e@sha256:abc");
    assertThat(s.signatureVerification().level()).isEqualTo(VerificationLevel.SKIP);
    assertThat(s.trustStores()).isEmpty();
    assertThat(s.trustedIdentities()).isEmpty();
    for (ValidationType t : ValidationType.values()) {
      assertThat(s.action(t)).isEqualTo(ValidationAction.SKIP);
    }
  }

  @Test
  void timestamp_policies_read_verify_timestamp_and_the_tsa_store() throws Exception {
    TrustPolicyStatement always =
        TrustPolicyDocument.parse(read("timestamp_trustpolicy.json")).statements().get(0);
    TrustPolicyStatement after =
        TrustPolicyDocument.parse(read("timestamp_after_cert_expiry_trustpolicy.json"))
            .statements()
            .get(0);
    assertThat(always.signatureVerification().verifyTimestamp()).isEqualTo(VerifyTimestamp.ALWAYS);
    assertThat(after.signatureVerification().verifyTimestamp())
        .isEqualTo(VerifyTimestamp.AFTER_CERT_EXPIRY);
    assertThat(after.trustStores())
        .containsExactly(
            new TrustStoreRef(StoreType.CA, "e2e"), new TrustStoreRef(StoreType.TSA, "e2e"));
    // Without the key, the default is "always".
    assertThat(
            TrustPolicyDocument.parse(read("trustpolicy.json"))
                .statements()
                .get(0)
                .signatureVerification()
                .verifyTimestamp())
        .isEqualTo(VerifyTimestamp.ALWAYS);
  }

  @Test
  void override_policies_give_the_documented_actions() throws Exception {
    TrustPolicyStatement strict =
        TrustPolicyDocument.parse(read("override_strict_trustpolicy.json")).statements().get(0);
    TrustPolicyStatement permissive =
        TrustPolicyDocument.parse(read("override_permissive_trustpolicy.json")).statements().get(0);
    TrustPolicyStatement audit =
        TrustPolicyDocument.parse(read("override_audit_trustpolicy.json")).statements().get(0);
    for (ValidationType t :
        List.of(
            ValidationType.AUTHENTICITY,
            ValidationType.AUTHENTIC_TIMESTAMP,
            ValidationType.EXPIRY,
            ValidationType.REVOCATION)) {
      assertThat(strict.action(t)).as("strict %s", t).isEqualTo(ValidationAction.LOG);
      assertThat(audit.action(t)).as("audit %s", t).isEqualTo(ValidationAction.ENFORCE);
    }
    assertThat(permissive.action(ValidationType.AUTHENTICITY)).isEqualTo(ValidationAction.LOG);
    assertThat(permissive.action(ValidationType.EXPIRY)).isEqualTo(ValidationAction.ENFORCE);
    assertThat(permissive.action(ValidationType.AUTHENTIC_TIMESTAMP))
        .isEqualTo(ValidationAction.ENFORCE);
    assertThat(permissive.action(ValidationType.REVOCATION)).isEqualTo(ValidationAction.ENFORCE);
    for (TrustPolicyStatement s : List.of(strict, permissive, audit)) {
      assertThat(s.action(ValidationType.INTEGRITY)).isEqualTo(ValidationAction.ENFORCE);
    }
  }

  @Test
  void invalid_registry_scope_policy_applies_only_to_its_repository() throws Exception {
    TrustPolicyDocument doc =
        TrustPolicyDocument.parse(read("invalid_registry_scope_trustpolicy.json"));
    assertThat(doc.statementFor("localhost:5000/invalid-test-repo@sha256:abc").name())
        .isEqualTo("e2e");
    String ref =
        "localhost:5000/e2e@sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";
    assertThatThrownBy(() -> doc.statementFor(ref))
        .isInstanceOf(TrustPolicyException.class)
        .hasMessage(
            "artifact \""
                + ref
                + "\" has no applicable oci trust policy statement. Trust policy applicability for"
                + " a given artifact is determined by registryScopes. To create a trust policy,"
                + " see: https://notaryproject.dev/docs/quickstart/#create-a-trust-policy");
  }

  @Test
  void multi_statement_policy_prefers_the_exact_scope_over_the_wildcard() throws Exception {
    TrustPolicyDocument doc =
        TrustPolicyDocument.parse(
            read("multi_statements_with_wildcard_registry_scope_trustpolicy.json"));
    assertThat(doc.statementFor("localhost:5000/test-repo9@sha256:abc").name()).isEqualTo("e2e");
    assertThat(doc.statementFor("localhost:5000/test-repo10@sha256:abc").name()).isEqualTo("e2e2");
  }

  @Test
  void e2e_identity_policies_match_or_reject_the_e2e_signing_certificate() throws Exception {
    String leaf = subjectOf("notation/test/e2e/testdata/config/localkeys/e2e.crt");
    assertThat(leaf).isEqualTo("CN=e2e,O=Notary,L=Seattle,ST=WA,C=US");
    TrustPolicyStatement valid =
        TrustPolicyDocument.parse(read("valid_trusted_identity_trustpolicy.json"))
            .statements()
            .get(0);
    TrustPolicyStatement invalid =
        TrustPolicyDocument.parse(read("invalid_trusted_identity_trustpolicy.json"))
            .statements()
            .get(0);
    TrustPolicyStatement multiple =
        TrustPolicyDocument.parse(read("multiple_trusted_identity_trustpolicy.json"))
            .statements()
            .get(0);
    assertThat(TrustedIdentities.mismatch(valid, leaf)).isEmpty();
    assertThat(TrustedIdentities.mismatch(multiple, leaf)).isEmpty();
    assertThat(TrustedIdentities.mismatch(invalid, leaf))
        .contains(
            "signing certificate from the digital signature does not match the X.509 trusted"
                + " identities [map[\"C\":\"USB\" \"CN\":\"e2e\" \"L\":\"Seattle\" \"O\":\"Notary\""
                + " \"ST\":\"WA\"]] defined in the trust policy \"e2e\"");
    // The expired e2e certificate matches the second identity of the multiple-identity policy.
    // Go's rendering from MANIFEST.md (Go orders the attributes itself; the JDK keeps the
    // certificate's order, so the JDK form is not used here).
    String expired = "O=Internet Widgits Pty Ltd,ST=Some-State,C=AU";
    assertThat(TrustedIdentities.mismatch(multiple, expired)).isEmpty();
    assertThat(TrustedIdentities.mismatch(valid, expired)).isPresent();
  }

  // The JDK's RFC 2253 form; it equals Go's pkix.Name.String() only for simple subjects whose
  // attributes are encoded in Go's order (checked against the expected literal at each use).
  static String subjectOf(String vector) throws Exception {
    try (var in = Files.newInputStream(Vectors.notary(vector))) {
      var cert =
          (java.security.cert.X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      return cert.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
    }
  }

  @Test
  void the_e2e_blob_trust_policy_is_not_an_oci_policy() throws Exception {
    byte[] json =
        Files.readAllBytes(
            Vectors.notary("notation/test/e2e/testdata/blob/trustpolicies/trustpolicy.blob.json"));
    assertThatThrownBy(() -> TrustPolicyDocument.parse(json))
        .isInstanceOf(TrustPolicyException.class)
        .hasMessageContaining("malformed trust policy");
  }

  private static TrustPolicyDocument parseUnchecked(byte[] json) {
    try {
      return TrustPolicyDocument.parse(json);
    } catch (TrustPolicyException e) {
      throw new AssertionError("expected a valid document: " + e.getMessage(), e);
    }
  }

  private static TrustPolicyDocument ofUnchecked(TrustPolicyDocument doc) {
    try {
      return TrustPolicyDocument.of(doc.version(), doc.statements());
    } catch (TrustPolicyException e) {
      throw new AssertionError("of() rejected a valid document: " + e.getMessage(), e);
    }
  }
}
