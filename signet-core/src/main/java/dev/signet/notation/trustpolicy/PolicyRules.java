package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
import dev.signet.notation.truststore.StoreType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validation rules of an OCI trust policy document (trust-store-trust-policy.md; checklist
 * §7.2), checked in notation's order with notation's messages: document, then each statement (name,
 * signatureVerification, stores and identities), then registry scopes across statements.
 *
 * <p>Decision: the spec forbids the {@code skip} level on the global {@code *} scope; notation
 * does not enforce it for OCI policies, and notation's own e2e {@code skip_trustpolicy.json} is
 * exactly that. It is accepted here too, for compatibility.
 */
final class PolicyRules {
  static final String X509_SUBJECT = "x509.subject";
  static final String WILDCARD = "*";

  /**
   * Caps the x509.subject identities of one statement: the overlap check compares every pair, and a
   * 1 MiB document could otherwise hold tens of thousands of them.
   */
  static final int MAX_X509_IDENTITIES = 1000;

  private static final String SUPPORTED_VERSION = "1.0";

  private PolicyRules() {}

  static TrustPolicyDocument validate(RawPolicy doc) throws TrustPolicyException {
    if (doc.version().isEmpty()) {
      throw new TrustPolicyException(
          "oci trust policy document has empty version, version must be specified");
    }
    if (!doc.version().equals(SUPPORTED_VERSION)) {
      throw new TrustPolicyException(
          "oci trust policy document uses unsupported version " + GoFormat.quote(doc.version()));
    }
    if (doc.statements().isEmpty()) {
      throw new TrustPolicyException(
          "oci trust policy document can not have zero trust policy statements");
    }
    Set<String> names = new HashSet<>();
    List<TrustPolicyStatement> out = new ArrayList<>();
    for (RawPolicy.Statement s : doc.statements()) {
      if (names.contains(s.name())) {
        throw new TrustPolicyException(
            "multiple oci trust policy statements use the same name "
                + GoFormat.quote(s.name())
                + ", statement names must be unique");
      }
      try {
        out.add(statement(s));
      } catch (TrustPolicyException e) {
        throw new TrustPolicyException("oci trust policy: " + e.getMessage(), e);
      }
      names.add(s.name());
    }
    registryScopes(doc.statements());
    return new TrustPolicyDocument(doc.version(), out);
  }

  /** The document form of a statement built in code, for {@link #validate}. */
  static RawPolicy.Statement raw(TrustPolicyStatement s) {
    SignatureVerification sv = s.signatureVerification();
    Map<String, String> override = new LinkedHashMap<>();
    sv.overrides().forEach((t, a) -> override.put(t.value(), a.value()));
    List<String> stores = new ArrayList<>();
    s.trustStores().forEach(r -> stores.add(r.value()));
    return new RawPolicy.Statement(
        s.name(),
        s.registryScopes(),
        sv.level().value(),
        override,
        sv.verifyTimestamp().value(),
        stores,
        s.trustedIdentities());
  }

  private static TrustPolicyStatement statement(RawPolicy.Statement s) throws TrustPolicyException {
    String name = s.name();
    if (name.isEmpty()) {
      throw new TrustPolicyException(
          "a trust policy statement is missing a name, every statement requires a name");
    }
    String q = GoFormat.quote(name);
    SignatureVerification sv;
    try {
      sv = signatureVerification(s);
    } catch (TrustPolicyException e) {
      throw new TrustPolicyException(
          "trust policy statement " + q + " has invalid signatureVerification: " + e.getMessage(),
          e);
    }
    List<TrustStoreRef> stores = new ArrayList<>();
    if (sv.level() == VerificationLevel.SKIP) {
      if (!s.trustStores().isEmpty() || !s.trustedIdentities().isEmpty()) {
        throw new TrustPolicyException(
            "trust policy statement "
                + q
                + " is set to skip signature verification but configured with trust stores"
                + " and/or trusted identities, remove them if signature verification needs to be"
                + " skipped");
      }
    } else {
      if (s.trustStores().isEmpty() || s.trustedIdentities().isEmpty()) {
        throw new TrustPolicyException(
            "trust policy statement "
                + q
                + " is either missing trust stores or trusted identities, both must be specified");
      }
      for (String value : s.trustStores()) {
        stores.add(trustStore(q, value));
      }
      trustedIdentities(name, s.trustedIdentities());
    }
    return new TrustPolicyStatement(name, s.registryScopes(), sv, stores, s.trustedIdentities());
  }

  private static SignatureVerification signatureVerification(RawPolicy.Statement s)
      throws TrustPolicyException {
    if (s.level().isEmpty()) {
      throw new TrustPolicyException(
          "signature verification level is empty or missing in the trust policy statement");
    }
    VerificationLevel level = VerificationLevel.fromValue(s.level());
    if (level == null) {
      throw new TrustPolicyException(
          "invalid signature verification level " + GoFormat.quote(s.level()));
    }
    Map<ValidationType, ValidationAction> overrides = new EnumMap<>(ValidationType.class);
    if (!s.override().isEmpty()) {
      if (level == VerificationLevel.SKIP) {
        throw new TrustPolicyException(
            "signature verification level \"skip\" can't be used to customize signature"
                + " verification");
      }
      for (Map.Entry<String, String> e : s.override().entrySet()) {
        ValidationType type = ValidationType.fromValue(e.getKey());
        if (type == null) {
          throw unsupportedOverride(
              "verification type",
              e.getKey(),
              Arrays.stream(ValidationType.values()).map(ValidationType::value).toList());
        }
        ValidationAction action = ValidationAction.fromValue(e.getValue());
        if (action == null) {
          throw unsupportedOverride(
              "verification action",
              e.getValue(),
              Arrays.stream(ValidationAction.values()).map(ValidationAction::value).toList());
        }
        if (type == ValidationType.INTEGRITY) {
          throw new TrustPolicyException(
              GoFormat.quote(e.getKey())
                  + " verification can not be overridden in custom signature verification");
        }
        if (type != ValidationType.REVOCATION && action == ValidationAction.SKIP) {
          throw new TrustPolicyException(
              GoFormat.quote(e.getKey())
                  + " verification can not be skipped in custom signature verification");
        }
        overrides.put(type, action);
      }
    }
    VerifyTimestamp verifyTimestamp = VerifyTimestamp.ALWAYS;
    if (!s.verifyTimestamp().isEmpty()) {
      verifyTimestamp = VerifyTimestamp.fromValue(s.verifyTimestamp());
      if (verifyTimestamp == null) {
        throw new TrustPolicyException(
            "verifyTimestamp must be \"always\" or \"afterCertExpiry\", but got "
                + GoFormat.quote(s.verifyTimestamp()));
      }
    }
    return new SignatureVerification(level, overrides, verifyTimestamp);
  }

  /** An override key or value outside {@code supported}, worded as notation-go words it. */
  private static TrustPolicyException unsupportedOverride(
      String what, String value, List<String> supported) {
    return new TrustPolicyException(
        what
            + " "
            + GoFormat.quote(value)
            + " in custom signature verification is not supported, supported values are "
            + GoFormat.quoteList(supported));
  }

  private static TrustStoreRef trustStore(String quotedName, String value)
      throws TrustPolicyException {
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new TrustPolicyException(
          "trust policy statement "
              + quotedName
              + " has malformed trust store value "
              + GoFormat.quote(value)
              + ". The required format is <TrustStoreType>:<TrustStoreName>");
    }
    String typeName = value.substring(0, colon);
    String storeName = value.substring(colon + 1);
    StoreType type = StoreType.fromValue(typeName);
    if (type == null) {
      throw new TrustPolicyException(
          "trust policy statement "
              + quotedName
              + " uses an unsupported trust store type "
              + GoFormat.quote(typeName)
              + " in trust store value "
              + GoFormat.quote(value));
    }
    if (!TrustStoreRef.isValidName(storeName)) {
      throw new TrustPolicyException(
          "trust policy statement "
              + quotedName
              + " uses an unsupported trust store name "
              + GoFormat.quote(storeName)
              + " in trust store value "
              + GoFormat.quote(value)
              + ". Named store name needs to follow [a-zA-Z0-9_.-]+ format");
    }
    return new TrustStoreRef(type, storeName);
  }

  private static void trustedIdentities(String name, List<String> identities)
      throws TrustPolicyException {
    String q = GoFormat.quote(name);
    if (identities.size() > 1 && identities.contains(WILDCARD)) {
      throw new TrustPolicyException(
          "trust policy statement "
              + q
              + " uses a wildcard trusted identity '*', a wildcard identity cannot be used in"
              + " conjunction with other values");
    }
    List<String> raws = new ArrayList<>();
    List<Map<String, String>> dns = new ArrayList<>();
    for (String identity : identities) {
      if (identity.isEmpty()) {
        throw new TrustPolicyException(
            "trust policy statement " + q + " has an empty trusted identity");
      }
      if (identity.equals(WILDCARD)) {
        continue;
      }
      Map<String, String> dn = x509Identity(q, identity);
      if (dn != null) {
        if (dns.size() == MAX_X509_IDENTITIES) {
          throw new TrustPolicyException(
              "trust policy statement "
                  + q
                  + " has more than "
                  + MAX_X509_IDENTITIES
                  + " x509.subject trusted identities");
        }
        raws.add(identity);
        dns.add(dn);
      }
    }
    for (int i = 0; i < dns.size(); i++) {
      for (int j = 0; j < dns.size(); j++) {
        if (i != j && TrustedSubjectName.isSubset(dns.get(i), dns.get(j))) {
          throw new TrustPolicyException(
              "trust policy statement "
                  + q
                  + " has overlapping x509 trustedIdentities, "
                  + GoFormat.quote(raws.get(i))
                  + " overlaps with "
                  + GoFormat.quote(raws.get(j)));
        }
      }
    }
  }

  /**
   * The parsed DN of a non-wildcard identity with the {@code x509.subject} prefix, or null for
   * another prefix (those are for plugins and are not evaluated natively).
   */
  static Map<String, String> x509Identity(String quotedName, String identity)
      throws TrustPolicyException {
    int colon = identity.indexOf(':');
    if (colon < 0) {
      throw new TrustPolicyException(
          "trust policy statement "
              + quotedName
              + " has trusted identity "
              + GoFormat.quote(identity)
              + " missing separator");
    }
    if (!identity.substring(0, colon).equals(X509_SUBJECT)) {
      return null;
    }
    String value = identity.substring(colon + 1);
    if (value.isEmpty()) {
      throw new TrustPolicyException(
          "trust policy statement "
              + quotedName
              + " has trusted identity "
              + GoFormat.quote(identity)
              + " without an identity value");
    }
    try {
      return TrustedSubjectName.parse(value);
    } catch (TrustPolicyException e) {
      throw new TrustPolicyException(
          "trust policy statement "
              + quotedName
              + " has trusted identity "
              + GoFormat.quote(identity)
              + " with invalid identity value: "
              + e.getMessage(),
          e);
    }
  }

  private static void registryScopes(List<RawPolicy.Statement> statements)
      throws TrustPolicyException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (RawPolicy.Statement s : statements) {
      String q = GoFormat.quote(s.name());
      if (s.registryScopes().isEmpty()) {
        throw new TrustPolicyException(
            "oci trust policy statement "
                + q
                + " has zero registry scopes, it must specify registry scopes with at least one"
                + " value");
      }
      if (s.registryScopes().size() > 1 && s.registryScopes().contains(WILDCARD)) {
        throw new TrustPolicyException(
            "oci trust policy statement "
                + q
                + " uses wildcard registry scope '*', a wildcard scope cannot be used in"
                + " conjunction with other scope values");
      }
      for (String scope : s.registryScopes()) {
        if (!scope.equals(WILDCARD)) {
          RegistryScope.validate(scope);
        }
        counts.merge(scope, 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > 1) {
        throw new TrustPolicyException(
            "registry scope "
                + GoFormat.quote(e.getKey())
                + " is present in multiple oci trust policy statements, one registry scope value"
                + " can only be associated with one statement");
      }
    }
  }
}
