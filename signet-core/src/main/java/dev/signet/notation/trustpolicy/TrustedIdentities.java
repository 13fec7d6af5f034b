package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The trusted identity check of Notary verification (checklist §7.5, §8 step 4): the leaf
 * certificate's subject must contain every attribute of at least one {@code x509.subject} identity
 * of the statement, with equal values (case-sensitive), unless the statement trusts {@code *}. Only
 * the leaf is compared.
 */
public final class TrustedIdentities {
  private TrustedIdentities() {}

  /**
   * Checks the leaf's subject against a statement's trusted identities.
   *
   * @param statement the applicable statement
   * @param leafSubject the leaf certificate's subject formatted exactly as Go's {@code
   *     pkix.Name.String()} does
   * @return empty when the leaf matches; otherwise notation's failure message
   */
  public static Optional<String> mismatch(TrustPolicyStatement statement, String leafSubject) {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(leafSubject, "leafSubject");
    List<String> identities = statement.trustedIdentities();
    if (identities.contains(PolicyRules.WILDCARD)) {
      return Optional.empty();
    }
    String q = GoFormat.quote(statement.name());
    List<Map<String, String>> trusted = new ArrayList<>();
    for (String identity : identities) {
      try {
        Map<String, String> dn = PolicyRules.x509Identity(q, identity);
        if (dn != null) {
          trusted.add(dn);
        }
      } catch (TrustPolicyException e) {
        // Only reachable for a statement that was built without validation; fail closed.
        return Optional.of(e.getMessage());
      }
    }
    if (trusted.isEmpty()) {
      return Optional.of("no x509 trusted identities are configured in the trust policy " + q);
    }
    Map<String, String> leaf;
    try {
      leaf = TrustedSubjectName.parse(leafSubject);
    } catch (TrustPolicyException e) {
      return Optional.of(
          "error while parsing the certificate subject from the digital signature. error : "
              + GoFormat.quote(e.getMessage()));
    }
    for (Map<String, String> dn : trusted) {
      if (TrustedSubjectName.isSubset(dn, leaf)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "signing certificate from the digital signature does not match the X.509 trusted"
            + " identities "
            + GoFormat.quoteMaps(trusted)
            + " defined in the trust policy "
            + q);
  }
}
