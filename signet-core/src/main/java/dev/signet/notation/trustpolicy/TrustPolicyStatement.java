package dev.signet.notation.trustpolicy;

import dev.signet.notation.truststore.StoreType;
import java.util.List;
import java.util.Objects;

/**
 * One statement of an OCI trust policy document (trust-store-trust-policy.md; checklist §7.2).
 * Statements read by {@link TrustPolicyDocument#parse} have passed every rule of §7.2; a statement
 * built in code is checked when it is put into a document with {@link TrustPolicyDocument#of}.
 *
 * @param name the unique statement name
 * @param registryScopes the repositories this statement applies to, or exactly {@code ["*"]}
 * @param signatureVerification level, overrides and timestamp option
 * @param trustStores the named stores (empty only for the {@code skip} level)
 * @param trustedIdentities {@code *}, or {@code prefix:value} identities such as {@code
 *     x509.subject: C=US, ST=WA, O=Example} (empty only for the {@code skip} level)
 */
public record TrustPolicyStatement(
    String name,
    List<String> registryScopes,
    SignatureVerification signatureVerification,
    List<TrustStoreRef> trustStores,
    List<String> trustedIdentities) {

  public TrustPolicyStatement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signatureVerification, "signatureVerification");
    registryScopes = List.copyOf(registryScopes);
    trustStores = List.copyOf(trustStores);
    trustedIdentities = List.copyOf(trustedIdentities);
  }

  /** The stores of one type, in document order (duplicates kept; load each store once). */
  public List<TrustStoreRef> trustStores(StoreType type) {
    Objects.requireNonNull(type, "type");
    return trustStores.stream().filter(r -> r.type() == type).toList();
  }

  /** The effective action for a validation under this statement. */
  public ValidationAction action(ValidationType type) {
    return signatureVerification.action(type);
  }
}
