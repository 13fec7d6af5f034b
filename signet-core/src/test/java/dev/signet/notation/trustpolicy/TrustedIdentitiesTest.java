package dev.signet.notation.trustpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.notation.truststore.StoreType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Identity matching (checklist §7.5) with the cases of notation-go's {@code
 * TestVerifyX509TrustedIdentities} and {@code TestNotationVerificationCombinations} (MANIFEST).
 */
class TrustedIdentitiesTest {
  // signing-cert.pem, as Go's pkix.Name.String() renders it.
  private static final String SIGNING_CERT = "CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US";
  // bad-cert.pem: its CN is "Bad=#CN".
  private static final String BAD_CERT = "CN=Bad=#CN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US";
  private static final String DP_LEAF = "CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US";

  private static TrustPolicyStatement named(String name, String... identities) {
    return new TrustPolicyStatement(
        name,
        List.of("*"),
        SignatureVerification.of(VerificationLevel.STRICT),
        List.of(new TrustStoreRef(StoreType.CA, "s")),
        List.of(identities));
  }

  private static TrustPolicyStatement statement(String... identities) {
    return named("test-statement-name", identities);
  }

  @Test
  void the_vector_subjects_are_what_go_renders() throws Exception {
    // Sanity check of the literals above against the vector files (the JDK's RFC 2253 form equals
    // Go's rendering for these two certificates).
    assertThat(
            TrustPolicyVectorsTest.subjectOf(
                "notation-go/verifier/testdata/verifier/signing-cert.pem"))
        .isEqualTo(SIGNING_CERT);
    assertThat(
            TrustPolicyVectorsTest.subjectOf("notation-go/verifier/testdata/verifier/bad-cert.pem"))
        .contains("CN=Bad\\=\\#CN"); // the JDK escapes the value Bad=#CN
  }

  @Test
  void subset_identity_matches() {
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:C=US,O=SomeOrg,ST=WA"), SIGNING_CERT))
        .isEmpty();
  }

  @Test
  void other_prefixes_are_ignored_next_to_a_matching_identity() {
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:C=US,O=SomeOrg,ST=WA", "nonX509Prefix:my-custom-identity"),
                SIGNING_CERT))
        .isEmpty();
  }

  @Test
  void one_matching_identity_among_several_is_enough() {
    assertThat(
            TrustedIdentities.mismatch(
                statement(
                    "x509.subject:C=IND,O=SomeOrg,ST=TS", "x509.subject:C=US,O=SomeOrg,ST=WA"),
                SIGNING_CERT))
        .isEmpty();
  }

  @Test
  void wildcard_matches_any_leaf_even_an_unparsable_one() {
    assertThat(TrustedIdentities.mismatch(statement("*"), SIGNING_CERT)).isEmpty();
    assertThat(TrustedIdentities.mismatch(statement("*"), BAD_CERT)).isEmpty();
    assertThat(TrustedIdentities.mismatch(statement("*"), "CN=only")).isEmpty();
  }

  @Test
  void only_other_prefixes_is_an_error() {
    assertThat(
            TrustedIdentities.mismatch(statement("nonX509Prefix:my-custom-identity"), SIGNING_CERT))
        .contains(
            "no x509 trusted identities are configured in the trust policy"
                + " \"test-statement-name\"");
  }

  @Test
  void non_matching_identity_gives_notations_message() {
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:C=IND,O=SomeOrg,ST=TS"), SIGNING_CERT))
        .contains(
            "signing certificate from the digital signature does not match the X.509 trusted"
                + " identities [map[\"C\":\"IND\" \"O\":\"SomeOrg\" \"ST\":\"TS\"]] defined in the"
                + " trust policy \"test-statement-name\"");
  }

  @Test
  void cn_lol_mismatch_message_is_exact() {
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:CN=LOL,O=DummyOrg,L=Hyderabad,ST=TG,C=IN"), DP_LEAF))
        .contains(
            "signing certificate from the digital signature does not match the X.509 trusted"
                + " identities [map[\"C\":\"IN\" \"CN\":\"LOL\" \"L\":\"Hyderabad\""
                + " \"O\":\"DummyOrg\" \"ST\":\"TG\"]] defined in the trust policy"
                + " \"test-statement-name\"");
  }

  @Test
  void several_identities_render_as_a_list_of_maps() {
    assertThat(
            TrustedIdentities.mismatch(
                named(
                    "n", "x509.subject:C=IN,ST=TG,O=A", "x509.subject:S=WA,C=US,O=B,OU=\\\"q\\\\"),
                DP_LEAF))
        .contains(
            "signing certificate from the digital signature does not match the X.509 trusted"
                + " identities [map[\"C\":\"IN\" \"O\":\"A\" \"ST\":\"TG\"] map[\"C\":\"US\""
                + " \"O\":\"B\" \"OU\":\"\\\"q\\\\\" \"ST\":\"WA\"]] defined in the trust"
                + " policy \"n\"");
  }

  @Test
  void dp_identity_matches_the_dp_leaf() {
    assertThat(TrustedIdentities.mismatch(TrustPolicyDocumentTest.dp(), DP_LEAF)).isEmpty();
  }

  @Test
  void invalid_identity_value_is_an_error() {
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:C=bad=#identity,O=SomeOrg,ST=WA"), SIGNING_CERT))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "notation does not support x509.subject identities containing \"=#\""));
  }

  @Test
  void a_leaf_with_an_equals_hash_fails_for_every_x509_identity() {
    assertThat(TrustedIdentities.mismatch(statement("x509.subject:C=US,O=SomeOrg,ST=WA"), BAD_CERT))
        .contains(
            "error while parsing the certificate subject from the digital signature. error :"
                + " \"unsupported distinguished name (DN) \\\"CN=Bad=#CN,OU=SomeOU,O=SomeOrg,"
                + "L=Seattle,ST=WA,C=US\\\": notation does not support x509.subject identities"
                + " containing \\\"=#\\\"\"");
  }

  @Test
  void leaves_that_go_cannot_parse_fail() {
    TrustPolicyStatement s = statement("x509.subject:C=US,O=SomeOrg,ST=WA");
    // Repeated attribute (two OUs).
    assertThat(TrustedIdentities.mismatch(s, "CN=a,OU=x,OU=y,O=SomeOrg,ST=WA,C=US"))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("error while parsing the certificate subject")
                    .contains("has duplicate RDN attribute for \\\"OU\\\""));
    // Missing mandatory attribute.
    assertThat(TrustedIdentities.mismatch(s, "CN=a,O=SomeOrg,C=US"))
        .hasValueSatisfying(
            m -> assertThat(m).contains("has no mandatory RDN attribute for \\\"ST\\\""));
    // Multi-valued RDN.
    assertThat(TrustedIdentities.mismatch(s, "CN=a+OU=b,O=SomeOrg,ST=WA,C=US"))
        .hasValueSatisfying(m -> assertThat(m).contains("has multi-valued RDN attributes"));
    // Non-standard attributes are rendered by Go as OID=#hex.
    assertThat(
            TrustedIdentities.mismatch(s, "1.2.840.113549.1.9.1=#0c0161,CN=a,O=SomeOrg,ST=WA,C=US"))
        .hasValueSatisfying(m -> assertThat(m).contains("=#"));
  }

  @Test
  void matching_is_exact_and_case_sensitive() {
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:C=us,O=SomeOrg,ST=WA"), SIGNING_CERT))
        .isPresent();
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:c=US,O=SomeOrg,ST=WA"), SIGNING_CERT))
        .isPresent();
    assertThat(
            TrustedIdentities.mismatch(statement("x509.subject:C=US,O=SomeOr,ST=WA"), SIGNING_CERT))
        .isPresent();
    // An attribute the leaf lacks never matches.
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:C=US,O=SomeOrg,ST=WA,serialNumber=1"), SIGNING_CERT))
        .isPresent();
    // Spaces around separators and S for ST are normalised.
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:  C = US ;  S=WA , O=SomeOrg,  CN=SomeCN "), SIGNING_CERT))
        .isEmpty();
  }

  @Test
  void escapes_in_the_leaf_and_the_identity_compare_decoded() {
    String leaf = "CN=a\\,b,O=Acme\\, Inc.,ST=WA,C=US";
    assertThat(
            TrustedIdentities.mismatch(statement("x509.subject:O=Acme\\2C Inc.,ST=WA,C=US"), leaf))
        .isEmpty();
    assertThat(
            TrustedIdentities.mismatch(
                statement("x509.subject:O=Acme\\, Inc.,ST=WA,C=US,CN=a\\,b"), leaf))
        .isEmpty();
    assertThat(TrustedIdentities.mismatch(statement("x509.subject:O=Acme,ST=WA,C=US"), leaf))
        .isPresent();
  }

  @Test
  void unvalidated_statements_fail_closed() {
    assertThat(TrustedIdentities.mismatch(statement("x509.subject"), SIGNING_CERT))
        .contains(
            "trust policy statement \"test-statement-name\" has trusted identity \"x509.subject\""
                + " missing separator");
    assertThat(TrustedIdentities.mismatch(statement("x509.subject:"), SIGNING_CERT))
        .contains(
            "trust policy statement \"test-statement-name\" has trusted identity \"x509.subject:\""
                + " without an identity value");
    assertThat(TrustedIdentities.mismatch(statement(), SIGNING_CERT))
        .contains(
            "no x509 trusted identities are configured in the trust policy"
                + " \"test-statement-name\"");
  }
}
