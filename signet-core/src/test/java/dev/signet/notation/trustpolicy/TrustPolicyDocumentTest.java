package dev.signet.notation.trustpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.StrictJson;
import dev.signet.notation.truststore.StoreType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustPolicyDocumentTest {
  private static final String DP_IDENTITY =
      "x509.subject:CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US";
  private static final String DP_SCOPE = "registry.acme-rockets.io/software/net-monitor";
  private static final String DP_REF =
      DP_SCOPE + "@sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e";

  /** notation-go's dummyOCIPolicyDocument (MANIFEST "DP"). */
  static TrustPolicyStatement dp() {
    return new TrustPolicyStatement(
        "test-statement-name",
        List.of(DP_SCOPE),
        SignatureVerification.of(VerificationLevel.STRICT),
        List.of(
            new TrustStoreRef(StoreType.CA, "valid-trust-store"),
            new TrustStoreRef(StoreType.SIGNING_AUTHORITY, "valid-trust-store")),
        List.of(DP_IDENTITY));
  }

  /** The timestamp policy of notation-go's TestAuthenticTimestamp (MANIFEST "TSP"). */
  static TrustPolicyStatement tsp() {
    return new TrustPolicyStatement(
        "test-timestamp",
        List.of("*"),
        new SignatureVerification(VerificationLevel.STRICT, Map.of(), VerifyTimestamp.ALWAYS),
        List.of(
            new TrustStoreRef(StoreType.CA, "valid-trust-store"),
            new TrustStoreRef(StoreType.TSA, "test-timestamp")),
        List.of("*"));
  }

  private static TrustPolicyDocument parse(String json) throws TrustPolicyException {
    return TrustPolicyDocument.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A document with one DP-like statement whose members are given as JSON text. */
  private static String dpJson(String scopes, String verification, String stores, String ids) {
    return """
    {"version": "1.0", "trustPolicies": [{
      "name": "test-statement-name",
      "registryScopes": %s,
      "signatureVerification": %s,
      "trustStores": %s,
      "trustedIdentities": %s
    }]}
    """
        .formatted(scopes, verification, stores, ids);
  }

  private static String dpWith(String verification, String stores, String ids) {
    return dpJson("[\"" + DP_SCOPE + "\"]", verification, stores, ids);
  }

  private static String dpStrict(String stores, String ids) {
    return dpWith("{\"level\": \"strict\"}", stores, ids);
  }

  private static final String DP_STORES =
      "[\"ca:valid-trust-store\", \"signingAuthority:valid-trust-store\"]";
  private static final String DP_IDS = "[\"" + DP_IDENTITY + "\"]";

  private static void assertRejected(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(TrustPolicyException.class)
        .hasMessage(message);
  }

  // --- DP and TSP built in code ---

  @Test
  void dp_and_tsp_built_in_code_are_valid_and_equal_their_json_form() throws Exception {
    TrustPolicyDocument dp = TrustPolicyDocument.of("1.0", List.of(dp()));
    assertThat(dp.statements()).containsExactly(dp());
    assertThat(parse(dpStrict(DP_STORES, DP_IDS))).isEqualTo(dp);
    assertThat(dp.statementFor(DP_REF)).isEqualTo(dp());

    TrustPolicyDocument tsp = TrustPolicyDocument.of("1.0", List.of(tsp()));
    assertThat(tsp.statementFor("any.registry/any/repo@sha256:abc").name())
        .isEqualTo("test-timestamp");
    assertThat(tsp.statements().get(0).signatureVerification().verifyTimestamp())
        .isEqualTo(VerifyTimestamp.ALWAYS);
    assertThat(tsp.statements().get(0).trustStores(StoreType.TSA))
        .containsExactly(new TrustStoreRef(StoreType.TSA, "test-timestamp"));
    assertThat(dp.statements().get(0).trustStores(StoreType.SIGNING_AUTHORITY))
        .containsExactly(new TrustStoreRef(StoreType.SIGNING_AUTHORITY, "valid-trust-store"));
    assertThat(dp.statements().get(0).trustStores(StoreType.TSA)).isEmpty();
  }

  @Test
  void other_notation_go_test_policies_are_valid() throws Exception {
    // Example_verifyWithOCILayout-style policy (MANIFEST, derived/notation-go): strict with
    // revocation skipped.
    TrustPolicyStatement example =
        new TrustPolicyStatement(
            "test-statement-name",
            List.of("example/software"),
            new SignatureVerification(
                VerificationLevel.STRICT,
                Map.of(ValidationType.REVOCATION, ValidationAction.SKIP),
                VerifyTimestamp.ALWAYS),
            List.of(new TrustStoreRef(StoreType.CA, "valid-trust-store")),
            List.of("*"));
    TrustPolicyDocument doc = TrustPolicyDocument.of("1.0", List.of(example));
    TrustPolicyStatement s = doc.statementFor("example/software@sha256:abc");
    assertThat(s.action(ValidationType.REVOCATION)).isEqualTo(ValidationAction.SKIP);
    assertThat(s.action(ValidationType.EXPIRY)).isEqualTo(ValidationAction.ENFORCE);
    // TestPluginVersionCompatibility's policy: an identity with a space after the colon.
    TrustPolicyStatement plugin =
        new TrustPolicyStatement(
            "plugin",
            List.of("localhost:5000/net-monitor"),
            SignatureVerification.of(VerificationLevel.STRICT),
            List.of(new TrustStoreRef(StoreType.CA, "valid-trust-store")),
            List.of("x509.subject: CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US"));
    TrustPolicyDocument pluginDoc = TrustPolicyDocument.of("1.0", List.of(plugin));
    assertThat(
            TrustedIdentities.mismatch(
                pluginDoc.statementFor("localhost:5000/net-monitor@sha256:abc"),
                "CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US"))
        .isEmpty();
  }

  @Test
  void of_checks_statements_built_in_code() {
    TrustPolicyStatement noIdentity =
        new TrustPolicyStatement(
            "s",
            List.of("*"),
            SignatureVerification.of(VerificationLevel.AUDIT),
            List.of(new TrustStoreRef(StoreType.CA, "x")),
            List.of());
    assertThatThrownBy(() -> TrustPolicyDocument.of("1.0", List.of(noIdentity)))
        .hasMessage(
            "oci trust policy: trust policy statement \"s\" is either missing trust stores or"
                + " trusted identities, both must be specified");
    TrustPolicyStatement skipWithStores =
        new TrustPolicyStatement(
            "s",
            List.of("*"),
            SignatureVerification.of(VerificationLevel.SKIP),
            List.of(new TrustStoreRef(StoreType.CA, "x")),
            List.of());
    assertThatThrownBy(() -> TrustPolicyDocument.of("1.0", List.of(skipWithStores)))
        .hasMessageContaining("is set to skip signature verification but configured with trust");
    assertThatThrownBy(() -> TrustPolicyDocument.of("2.0", List.of(dp())))
        .hasMessage("oci trust policy document uses unsupported version \"2.0\"");
  }

  @Test
  void records_refuse_values_that_break_their_invariants() {
    assertThatThrownBy(() -> new TrustStoreRef(StoreType.CA, "../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TrustStoreRef(StoreType.CA, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SignatureVerification(
                    VerificationLevel.STRICT,
                    Map.of(ValidationType.INTEGRITY, ValidationAction.LOG),
                    VerifyTimestamp.ALWAYS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SignatureVerification(
                    VerificationLevel.STRICT,
                    Map.of(ValidationType.EXPIRY, ValidationAction.SKIP),
                    VerifyTimestamp.ALWAYS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SignatureVerification(
                    VerificationLevel.SKIP,
                    Map.of(ValidationType.REVOCATION, ValidationAction.LOG),
                    VerifyTimestamp.ALWAYS))
        .isInstanceOf(IllegalArgumentException.class);
    List<String> ids = new ArrayList<>(List.of("*"));
    TrustPolicyStatement s =
        new TrustPolicyStatement(
            "s", List.of("*"), SignatureVerification.of(VerificationLevel.STRICT), List.of(), ids);
    ids.add("x509.subject:C=US,ST=WA,O=X");
    assertThat(s.trustedIdentities()).containsExactly("*");
  }

  // --- Document rules (checklist §7.2) ---

  @Test
  void document_rules() {
    assertRejected(
        "{\"trustPolicies\": []}",
        "oci trust policy document has empty version, version must be specified");
    assertRejected(
        "{\"version\": \"\", \"trustPolicies\": []}",
        "oci trust policy document has empty version, version must be specified");
    assertRejected(
        "{\"version\": \"1.1\", \"trustPolicies\": []}",
        "oci trust policy document uses unsupported version \"1.1\"");
    assertRejected(
        "{\"version\": \"1.0\", \"trustPolicies\": []}",
        "oci trust policy document can not have zero trust policy statements");
    assertRejected(
        "{\"version\": \"1.0\"}",
        "oci trust policy document can not have zero trust policy statements");
  }

  @Test
  void statement_name_rules() {
    assertRejected(
        dpStrict(DP_STORES, DP_IDS).replace("test-statement-name", ""),
        "oci trust policy: a trust policy statement is missing a name, every statement requires a"
            + " name");
    String two =
        """
        {"version": "1.0", "trustPolicies": [
          {"name": "a", "registryScopes": ["r.io/one"], "signatureVerification": {"level": "skip"}},
          {"name": "a", "registryScopes": ["r.io/two"], "signatureVerification": {"level": "skip"}}
        ]}
        """;
    assertRejected(
        two,
        "multiple oci trust policy statements use the same name \"a\", statement names must be"
            + " unique");
  }

  @Test
  void signature_verification_rules() {
    String p =
        "oci trust policy: trust policy statement \"test-statement-name\" has invalid"
            + " signatureVerification: ";
    assertRejected(
        dpWith("{}", DP_STORES, DP_IDS),
        p + "signature verification level is empty or missing in the trust policy statement");
    assertRejected(
        dpWith("{\"level\": \"\"}", DP_STORES, DP_IDS),
        p + "signature verification level is empty or missing in the trust policy statement");
    assertRejected(
        dpWith("{\"level\": \"invalid\"}", DP_STORES, DP_IDS),
        p + "invalid signature verification level \"invalid\"");
    // Level names are case-sensitive, as in notation.
    assertRejected(
        dpWith("{\"level\": \"Strict\"}", DP_STORES, DP_IDS),
        p + "invalid signature verification level \"Strict\"");
    assertRejected(
        dpWith("{\"level\": \"skip\", \"override\": {\"revocation\": \"log\"}}", "[]", "[]"),
        p
            + "signature verification level \"skip\" can't be used to customize signature"
            + " verification");
    assertRejected(
        dpWith(
            "{\"level\": \"strict\", \"override\": {\"signature\": \"log\"}}", DP_STORES, DP_IDS),
        p
            + "verification type \"signature\" in custom signature verification is not supported,"
            + " supported values are [\"integrity\" \"authenticity\" \"authenticTimestamp\""
            + " \"expiry\" \"revocation\"]");
    assertRejected(
        dpWith("{\"level\": \"strict\", \"override\": {\"expiry\": \"warn\"}}", DP_STORES, DP_IDS),
        p
            + "verification action \"warn\" in custom signature verification is not supported,"
            + " supported values are [\"enforce\" \"log\" \"skip\"]");
    assertRejected(
        dpWith(
            "{\"level\": \"audit\", \"override\": {\"integrity\": \"enforce\"}}",
            DP_STORES,
            DP_IDS),
        p + "\"integrity\" verification can not be overridden in custom signature verification");
    for (String t : List.of("authenticity", "authenticTimestamp", "expiry")) {
      assertRejected(
          dpWith(
              "{\"level\": \"strict\", \"override\": {\"" + t + "\": \"skip\"}}",
              DP_STORES,
              DP_IDS),
          p + "\"" + t + "\" verification can not be skipped in custom signature verification");
    }
    assertRejected(
        dpWith("{\"level\": \"strict\", \"verifyTimestamp\": \"invalid\"}", DP_STORES, DP_IDS),
        p + "verifyTimestamp must be \"always\" or \"afterCertExpiry\", but got \"invalid\"");
  }

  @Test
  void revocation_may_be_skipped_and_an_empty_override_is_the_level() throws Exception {
    TrustPolicyStatement s =
        parse(
                dpWith(
                    "{\"level\": \"strict\", \"override\": {\"revocation\": \"skip\"}}",
                    DP_STORES,
                    DP_IDS))
            .statements()
            .get(0);
    assertThat(s.action(ValidationType.REVOCATION)).isEqualTo(ValidationAction.SKIP);
    TrustPolicyStatement skip =
        parse(dpWith("{\"level\": \"skip\", \"override\": {}}", "[]", "[]")).statements().get(0);
    assertThat(skip.signatureVerification().overrides()).isEmpty();
    assertThat(skip.action(ValidationType.INTEGRITY)).isEqualTo(ValidationAction.SKIP);
    // An empty verifyTimestamp is the default, as in notation.
    TrustPolicyStatement empty =
        parse(dpWith("{\"level\": \"strict\", \"verifyTimestamp\": \"\"}", DP_STORES, DP_IDS))
            .statements()
            .get(0);
    assertThat(empty.signatureVerification().verifyTimestamp()).isEqualTo(VerifyTimestamp.ALWAYS);
  }

  @Test
  void store_and_identity_presence_rules() {
    String p = "oci trust policy: trust policy statement \"test-statement-name\" ";
    assertRejected(
        dpWith("{\"level\": \"skip\"}", DP_STORES, "[]"),
        p
            + "is set to skip signature verification but configured with trust stores and/or"
            + " trusted identities, remove them if signature verification needs to be skipped");
    assertRejected(
        dpWith("{\"level\": \"skip\"}", "[]", DP_IDS),
        p
            + "is set to skip signature verification but configured with trust stores and/or"
            + " trusted identities, remove them if signature verification needs to be skipped");
    for (String level : List.of("strict", "permissive", "audit")) {
      assertRejected(
          dpWith("{\"level\": \"" + level + "\"}", "[]", DP_IDS),
          p + "is either missing trust stores or trusted identities, both must be specified");
      assertRejected(
          dpWith("{\"level\": \"" + level + "\"}", DP_STORES, "[]"),
          p + "is either missing trust stores or trusted identities, both must be specified");
    }
  }

  @Test
  void trust_store_rules() throws Exception {
    String p = "oci trust policy: trust policy statement \"test-statement-name\" ";
    assertRejected(
        dpStrict("[\"ca\"]", DP_IDS),
        p
            + "has malformed trust store value \"ca\". The required format is"
            + " <TrustStoreType>:<TrustStoreName>");
    // The DP variant whose second entry lacks a type (notation reports it at verify time).
    assertRejected(
        dpStrict("[\"ca:valid-trust-store-2\", \"signingAuthority\"]", DP_IDS),
        p
            + "has malformed trust store value \"signingAuthority\". The required format is"
            + " <TrustStoreType>:<TrustStoreName>");
    assertRejected(
        dpStrict("[\"invalid:test-trust-store\"]", DP_IDS),
        p
            + "uses an unsupported trust store type \"invalid\" in trust store value"
            + " \"invalid:test-trust-store\"");
    // Store types are case-sensitive.
    assertRejected(
        dpStrict("[\"CA:store\"]", DP_IDS),
        p + "uses an unsupported trust store type \"CA\" in trust store value \"CA:store\"");
    assertRejected(
        dpStrict("[\"ca:\"]", DP_IDS),
        p
            + "uses an unsupported trust store name \"\" in trust store value \"ca:\". Named store"
            + " name needs to follow [a-zA-Z0-9_.-]+ format");
    for (String bad : List.of("ca:../x", "ca:a/b", "ca:a b", "ca:a:b", "tsa:é")) {
      assertThatThrownBy(() -> parse(dpStrict("[\"" + bad + "\"]", DP_IDS)))
          .hasMessageContaining("uses an unsupported trust store name");
    }
    TrustPolicyStatement s =
        parse(
                dpStrict(
                    "[\"ca:A-z_0.9\", \"tsa:t\", \"signingAuthority:s\", \"ca:A-z_0.9\"]", DP_IDS))
            .statements()
            .get(0);
    assertThat(s.trustStores())
        .containsExactly(
            new TrustStoreRef(StoreType.CA, "A-z_0.9"),
            new TrustStoreRef(StoreType.TSA, "t"),
            new TrustStoreRef(StoreType.SIGNING_AUTHORITY, "s"),
            new TrustStoreRef(StoreType.CA, "A-z_0.9"));
  }

  @Test
  void trusted_identity_rules() throws Exception {
    String p = "oci trust policy: trust policy statement \"test-statement-name\" ";
    assertRejected(
        dpStrict(DP_STORES, "[\"*\", \"test-identity\"]"),
        p
            + "uses a wildcard trusted identity '*', a wildcard identity cannot be used in"
            + " conjunction with other values");
    assertRejected(dpStrict(DP_STORES, "[\"\"]"), p + "has an empty trusted identity");
    assertRejected(
        dpStrict(DP_STORES, "[\"x509.subject\"]"),
        p + "has trusted identity \"x509.subject\" missing separator");
    assertRejected(
        dpStrict(DP_STORES, "[\"x509.subject:\"]"),
        p + "has trusted identity \"x509.subject:\" without an identity value");
    assertRejected(
        dpStrict(DP_STORES, "[\"x509.subject:C=US,ST=WA\"]"),
        p
            + "has trusted identity \"x509.subject:C=US,ST=WA\" with invalid identity value:"
            + " distinguished name (DN) \"C=US,ST=WA\" has no mandatory RDN attribute for \"O\","
            + " it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum");
    assertRejected(
        dpStrict(DP_STORES, "[\"x509.subject:C=bad=#identity,ST=WA,O=X\"]"),
        p
            + "has trusted identity \"x509.subject:C=bad=#identity,ST=WA,O=X\" with invalid"
            + " identity value: unsupported distinguished name (DN) \"C=bad=#identity,ST=WA,O=X\":"
            + " notation does not support x509.subject identities containing \"=#\"");
    assertRejected(
        dpStrict(DP_STORES, "[\"x509.subject:C=US,ST=WA,O=X\", \"x509.subject:C=US, ST=WA, O=X\"]"),
        p
            + "has overlapping x509 trustedIdentities, \"x509.subject:C=US,ST=WA,O=X\" overlaps"
            + " with \"x509.subject:C=US, ST=WA, O=X\"");
    // S and ST are the same attribute, so these overlap too.
    assertThatThrownBy(
            () ->
                parse(
                    dpStrict(
                        DP_STORES,
                        "[\"x509.subject:C=US,S=WA,O=X,CN=a\", \"x509.subject:C=US,ST=WA,O=X\"]")))
        .hasMessageContaining("has overlapping x509 trustedIdentities");
    // Other prefixes are accepted (they are for plugins) and never overlap.
    TrustPolicyStatement s =
        parse(
                dpStrict(
                    DP_STORES,
                    "[\"x509.subject:C=US,ST=WA,O=X\", \"x509.subject:C=US,ST=WA,O=Y\","
                        + " \"nonX509Prefix:my-custom-identity\","
                        + " \"nonX509Prefix:C=US,ST=WA,O=X\"]"))
            .statements()
            .get(0);
    assertThat(s.trustedIdentities()).hasSize(4);
  }

  @Test
  void registry_scope_rules() {
    assertRejected(
        dpJson("[]", "{\"level\": \"strict\"}", DP_STORES, DP_IDS),
        "oci trust policy statement \"test-statement-name\" has zero registry scopes, it must"
            + " specify registry scopes with at least one value");
    assertRejected(
        dpJson("[\"*\", \"" + DP_SCOPE + "\"]", "{\"level\": \"strict\"}", DP_STORES, DP_IDS),
        "oci trust policy statement \"test-statement-name\" uses wildcard registry scope '*', a"
            + " wildcard scope cannot be used in conjunction with other scope values");
    assertRejected(
        dpJson("[\"example.com/*\"]", "{\"level\": \"strict\"}", DP_STORES, DP_IDS),
        "registry scope \"example.com/*\" with wild card(s) is not valid, make sure it is a fully"
            + " qualified repository without the scheme, protocol or tag. For example"
            + " domain.com/my/repository or a local scope like local/myOCILayout");
    assertRejected(
        dpJson("[\"example.com/rep:tag\"]", "{\"level\": \"strict\"}", DP_STORES, DP_IDS),
        "registry scope \"example.com/rep:tag\" is not valid, make sure it is a fully qualified"
            + " repository without the scheme, protocol or tag. For example"
            + " domain.com/my/repository or a local scope like local/myOCILayout");
    String two =
        """
        {"version": "1.0", "trustPolicies": [
          {"name": "a", "registryScopes": ["r.io/one", "r.io/two"],
           "signatureVerification": {"level": "skip"}},
          {"name": "b", "registryScopes": ["r.io/two"], "signatureVerification": {"level": "skip"}}
        ]}
        """;
    assertRejected(
        two,
        "registry scope \"r.io/two\" is present in multiple oci trust policy statements, one"
            + " registry scope value can only be associated with one statement");
  }

  @Test
  void statement_rules_are_checked_before_registry_scopes_as_in_notation() {
    // Both the scope and the store are wrong: the statement's own rules report first.
    assertThatThrownBy(() -> parse(dpJson("[]", "{\"level\": \"strict\"}", "[\"ca\"]", DP_IDS)))
        .hasMessageContaining("has malformed trust store value \"ca\"");
  }

  // --- Selection (checklist §7.3) ---

  private static TrustPolicyDocument selectionDoc(boolean withWildcard) throws Exception {
    String wildcard =
        withWildcard
            ? ", {\"name\": \"wild\", \"registryScopes\": [\"*\"],"
                + " \"signatureVerification\": {\"level\": \"audit\"},"
                + " \"trustStores\": [\"ca:w\"], \"trustedIdentities\": [\"*\"]}"
            : "";
    return parse(
        "{\"version\": \"1.0\", \"trustPolicies\": ["
            + "{\"name\": \"exact\", \"registryScopes\": [\"registry.io/team/app\","
            + " \"localhost:5000/net-monitor\"], \"signatureVerification\": {\"level\":"
            + " \"strict\"}, \"trustStores\": [\"ca:e\"], \"trustedIdentities\": [\"*\"]}"
            + wildcard
            + "]}");
  }

  @Test
  void exact_scope_wins_over_the_wildcard_whatever_the_order() throws Exception {
    TrustPolicyDocument doc = selectionDoc(true);
    assertThat(doc.statementFor("registry.io/team/app@sha256:abc").name()).isEqualTo("exact");
    assertThat(doc.statementFor("localhost:5000/net-monitor@sha256:abc").name()).isEqualTo("exact");
    assertThat(doc.statementFor("registry.io/team/other@sha256:abc").name()).isEqualTo("wild");
    TrustPolicyDocument reversed =
        new TrustPolicyDocument(doc.version(), doc.statements().reversed());
    assertThat(reversed.statementFor("registry.io/team/app@sha256:abc").name()).isEqualTo("exact");
  }

  @Test
  void selection_is_exact_and_case_sensitive_without_prefixes() throws Exception {
    TrustPolicyDocument doc = selectionDoc(false);
    for (String ref :
        List.of(
            "registry.io/team/app/sub@sha256:abc",
            "registry.io/team@sha256:abc",
            "REGISTRY.io/team/app@sha256:abc",
            "docker.io/registry.io/team/app@sha256:abc")) {
      assertThatThrownBy(() -> doc.statementFor(ref))
          .isInstanceOf(TrustPolicyException.class)
          .hasMessageStartingWith(
              "artifact \"" + ref + "\" has no applicable oci trust policy statement.");
    }
  }

  @Test
  void the_repository_path_is_before_the_last_at_sign() throws Exception {
    TrustPolicyDocument doc = selectionDoc(false);
    assertThatThrownBy(() -> doc.statementFor("registry.io/team/app:v1"))
        .hasMessage(
            "artifact URI \"registry.io/team/app:v1\" could not be parsed, make sure it is the"
                + " fully qualified oci artifact URI without the scheme/protocol. e.g"
                + " domain.com:80/my/repository@sha256:digest");
    // A tag before the digest makes the path an invalid scope.
    assertThatThrownBy(() -> doc.statementFor("registry.io/team/app:v1@sha256:abc"))
        .hasMessageStartingWith("registry scope \"registry.io/team/app:v1\" is not valid");
    assertThatThrownBy(() -> doc.statementFor("https://registry.io/team/app@sha256:abc"))
        .hasMessageStartingWith("registry scope \"https://registry.io/team/app\" is not valid");
    assertThatThrownBy(() -> selectionDoc(true).statementFor("@sha256:abc"))
        .hasMessageStartingWith("registry scope \"\" is not valid");
  }

  // --- Strict reading and hostile input ---

  @Test
  void unknown_keys_are_rejected_naming_the_key() {
    assertThatThrownBy(
            () ->
                parse(dpStrict(DP_STORES, DP_IDS).replace("trustedIdentities", "trustedIdentites")))
        .isInstanceOf(TrustPolicyException.class)
        .hasMessageStartingWith(
            "malformed trust policy: unknown key \"trustedIdentites\" in trustPolicies[0]");
    assertThatThrownBy(() -> parse(dpStrict(DP_STORES, DP_IDS).replace("\"level\"", "\"Level\"")))
        .hasMessageContaining(
            "unknown key \"Level\" in trustPolicies[0].signatureVerification (keys are"
                + " case-sensitive");
    assertThatThrownBy(
            () -> parse(dpStrict(DP_STORES, DP_IDS).replace("\"version\"", "\"Version\"")))
        .hasMessageContaining("unknown key \"Version\" in the document");
    assertThatThrownBy(
            () ->
                parse(
                    dpWith(
                        "{\"level\": \"strict\", \"overrides\": {\"expiry\": \"log\"}}",
                        DP_STORES,
                        DP_IDS)))
        .hasMessageContaining("unknown key \"overrides\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"version\": 1.0, \"trustPolicies\": []}",
        "{\"version\": \"1.0\", \"trustPolicies\": {}}",
        "{\"version\": \"1.0\", \"trustPolicies\": [\"e2e\"]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": 7}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\", \"registryScopes\": \"*\"}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\", \"registryScopes\": [1]}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\", \"trustStores\": [null]}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\","
            + " \"trustedIdentities\": [[\"*\"]]}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\","
            + " \"signatureVerification\": \"strict\"}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\","
            + " \"signatureVerification\": {\"level\": true}}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\","
            + " \"signatureVerification\": {\"level\": \"strict\", \"override\": []}}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\", \"signatureVerification\":"
            + " {\"level\": \"strict\", \"override\": {\"expiry\": 1}}}]}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\","
            + " \"signatureVerification\": {\"level\": \"strict\", \"verifyTimestamp\": false}}]}",
        "[]",
        "\"1.0\"",
        "{\"version\": \"1.0\", \"version\": \"1.0\", \"trustPolicies\": []}",
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\", \"name\": \"b\"}]}",
        "{\"version\": \"1.0\"} {}",
        "",
        "{\"version\": \"1.0\", \"trustPolicies\": [",
      })
  void wrong_types_duplicate_keys_and_broken_json_are_malformed(String json) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(TrustPolicyException.class)
        .hasMessageStartingWith("malformed trust policy: ")
        .hasMessageEndingWith(
            "To create a trust policy, see:"
                + " https://notaryproject.dev/docs/quickstart/#create-a-trust-policy");
  }

  @Test
  void explicit_nulls_count_as_absent() throws Exception {
    assertRejected(
        "{\"version\": null, \"trustPolicies\": null}",
        "oci trust policy document has empty version, version must be specified");
    TrustPolicyStatement s =
        parse(
                "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"a\", \"registryScopes\":"
                    + " [\"*\"], \"signatureVerification\": {\"level\": \"skip\", \"override\":"
                    + " null, \"verifyTimestamp\": null}, \"trustStores\": null,"
                    + " \"trustedIdentities\": null}]}")
            .statements()
            .get(0);
    assertThat(s.trustStores()).isEmpty();
    assertThat(s.signatureVerification().verifyTimestamp()).isEqualTo(VerifyTimestamp.ALWAYS);
  }

  @Test
  void documents_over_one_mebibyte_are_refused_before_parsing() {
    byte[] big = new byte[TrustPolicyDocument.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertThatThrownBy(() -> TrustPolicyDocument.parse(big))
        .hasMessageStartingWith("malformed trust policy: ")
        .hasMessageContaining("larger than the limit of 1048576 bytes");
  }

  @Test
  void deep_nesting_is_refused() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThatThrownBy(() -> parse("{\"version\": \"1.0\", \"trustPolicies\": " + deep + "}"))
        .hasMessageStartingWith("malformed trust policy: ");
  }

  @Test
  void too_many_x509_identities_in_one_statement_are_refused() {
    StringBuilder ids = new StringBuilder("[");
    for (int i = 0; i <= PolicyRules.MAX_X509_IDENTITIES; i++) {
      ids.append(i == 0 ? "" : ",").append("\"x509.subject:C=US,ST=WA,O=o").append(i).append('"');
    }
    ids.append(']');
    assertThatThrownBy(() -> parse(dpStrict(DP_STORES, ids.toString())))
        .hasMessageContaining("has more than 1000 x509.subject trusted identities");
  }

  @Test
  void a_large_valid_document_is_read() throws Exception {
    StringBuilder b = new StringBuilder("{\"version\": \"1.0\", \"trustPolicies\": [");
    int n = 2000;
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"name\": \"s")
          .append(i)
          .append("\", \"registryScopes\": [\"registry.io/repo")
          .append(i)
          .append("\"], \"signatureVerification\": {\"level\": \"strict\"}, \"trustStores\":")
          .append(" [\"ca:store\"], \"trustedIdentities\": [\"x509.subject:C=US,ST=WA,O=o")
          .append(i)
          .append("\"]}");
    }
    b.append("]}");
    TrustPolicyDocument doc = parse(b.toString());
    assertThat(doc.statements()).hasSize(n);
    assertThat(doc.statementFor("registry.io/repo1999@sha256:abc").name()).isEqualTo("s1999");
  }

  @Test
  void hostile_scopes_fail_fast() {
    // The distribution regular expressions backtrack exponentially on this in a naive engine.
    String scope = "registry.io/" + "a".repeat(5000) + "!";
    assertThatThrownBy(
            () ->
                parse(dpJson("[\"" + scope + "\"]", "{\"level\": \"strict\"}", DP_STORES, DP_IDS)))
        .hasMessageContaining("is not valid");
    String domain = "a".repeat(3000) + "-".repeat(3000) + "/repo";
    assertThatThrownBy(
            () ->
                parse(dpJson("[\"" + domain + "\"]", "{\"level\": \"strict\"}", DP_STORES, DP_IDS)))
        .hasMessageContaining("is not valid");
  }

  @Test
  void from_json_reads_an_inline_ratify_trust_policy_doc() throws Exception {
    String ratifyConfig =
        """
        {"name": "notation", "type": "notation", "trustPolicyDoc": {
          "version": "1.0",
          "trustPolicies": [{"name": "default", "registryScopes": ["*"],
            "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:ca-certs"], "trustedIdentities": ["*"]}]}}
        """;
    var node =
        StrictJson.parseObject(ratifyConfig.getBytes(StandardCharsets.UTF_8), 1 << 20, "config");
    TrustPolicyDocument doc = TrustPolicyDocument.fromJson(node.get("trustPolicyDoc"));
    assertThat(doc.statementFor("ghcr.io/org/app@sha256:abc").trustStores())
        .containsExactly(new TrustStoreRef(StoreType.CA, "ca-certs"));
    assertThatThrownBy(() -> TrustPolicyDocument.fromJson(node.get("name")))
        .hasMessageStartingWith("malformed trust policy: the document must be a JSON object");
    assertThatThrownBy(() -> TrustPolicyDocument.fromJson(null))
        .isInstanceOf(TrustPolicyException.class);
  }
}
