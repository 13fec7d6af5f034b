package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
// Notary Project trust policy for OCI artifacts: specifications trust-store-trust-policy.md,
// checklist §7 (document rules, selection, levels, identities).

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * An OCI trust policy document ({@code trustpolicy.oci.json}, or Ratify's inline {@code
 * trustPolicyDoc}).
 *
 * <p>{@link #parse}, {@link #fromJson} and {@link #of} check every rule of the specification when
 * the document is read, with notation's messages; a document made with the record constructor is
 * not checked.
 *
 * <p>Reading differs from notation's Go decoder on purpose, to be stricter: keys are case-sensitive
 * ({@code "Version"} is not {@code "version"}), an unknown key is an error naming the key (so a
 * misspelt {@code trustedIdentites} cannot silently weaken a policy), and a value of the wrong JSON
 * type is an error. An explicit {@code null} counts as absent, as in Go. Documents are limited to 1
 * MiB and duplicate keys are rejected.
 *
 * @param version the document version, {@code 1.0}
 * @param statements the trust policy statements ({@code trustPolicies}), in document order
 */
public record TrustPolicyDocument(String version, List<TrustPolicyStatement> statements) {
  /** The largest document {@link #parse} reads. */
  public static final int MAX_BYTES = 1024 * 1024;

  public TrustPolicyDocument {
    Objects.requireNonNull(version, "version");
    statements = List.copyOf(statements);
  }

  /**
   * Reads and validates a JSON trust policy document.
   *
   * @throws TrustPolicyException if the document is not valid JSON, is larger than 1 MiB, has
   *     duplicate or unknown keys or values of the wrong type ({@code malformed trust policy...}),
   *     or breaks a trust policy rule (notation's message)
   */
  public static TrustPolicyDocument parse(byte[] json) throws TrustPolicyException {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = StrictJson.parse(json, MAX_BYTES, "trust policy");
    } catch (JsonFormatException e) {
      throw new TrustPolicyException(PolicyJson.malformed(e.getMessage()).getMessage(), e);
    }
    return fromJson(root);
  }

  /**
   * Validates an already parsed JSON trust policy document, such as the {@code trustPolicyDoc} of a
   * Ratify notation verifier configuration. Same rules as {@link #parse}.
   */
  public static TrustPolicyDocument fromJson(JsonNode json) throws TrustPolicyException {
    return PolicyRules.validate(PolicyJson.read(json));
  }

  /** Builds a document in code and checks it with the same rules as {@link #parse}. */
  public static TrustPolicyDocument of(String version, List<TrustPolicyStatement> statements)
      throws TrustPolicyException {
    Objects.requireNonNull(version, "version");
    List<RawPolicy.Statement> raw = new ArrayList<>();
    for (TrustPolicyStatement s : statements) {
      raw.add(PolicyRules.raw(Objects.requireNonNull(s, "statement")));
    }
    return PolicyRules.validate(new RawPolicy(version, raw));
  }

  /**
   * The statement that applies to an artifact (checklist §7.3): the repository path is the text
   * before the last {@code @}; a statement listing that exact path wins, else the {@code *}
   * statement. Matching is case-sensitive, without prefixes or reference expansion.
   *
   * @param artifactReference a digest reference, e.g. {@code registry.io/repo@sha256:...}
   * @throws TrustPolicyException if the reference has no {@code @}, its repository path is not a
   *     valid scope, or no statement applies
   */
  public TrustPolicyStatement statementFor(String artifactReference) throws TrustPolicyException {
    Objects.requireNonNull(artifactReference, "artifactReference");
    int at = artifactReference.lastIndexOf('@');
    if (at < 0) {
      throw new TrustPolicyException(
          "artifact URI "
              + GoFormat.quote(artifactReference)
              + " could not be parsed, make sure it is the fully qualified oci artifact URI without"
              + " the scheme/protocol. e.g domain.com:80/my/repository@sha256:digest");
    }
    String path = artifactReference.substring(0, at);
    RegistryScope.validate(path);
    TrustPolicyStatement wildcard = null;
    for (TrustPolicyStatement s : statements) {
      if (s.registryScopes().contains(RegistryScope.WILDCARD)) {
        wildcard = s;
      } else if (s.registryScopes().contains(path)) {
        return s;
      }
    }
    if (wildcard != null) {
      return wildcard;
    }
    throw new TrustPolicyException(
        "artifact "
            + GoFormat.quote(artifactReference)
            + " has no applicable oci trust policy statement. Trust policy applicability for a"
            + " given artifact is determined by registryScopes. To create a trust policy, see: "
            + PolicyJson.LINK);
  }
}
