package dev.signet.notation.trustpolicy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code signatureVerification} of a trust policy statement (checklist §7.2, §7.4): a preset
 * level, per-validation overrides and when to verify timestamps.
 *
 * <p>An instance always satisfies the override rules: no override on the {@code skip} level, none
 * for {@code integrity}, and {@code skip} only for {@code revocation}. Documents that break them
 * are rejected with notation's messages by {@link TrustPolicyDocument#parse}; constructing such a
 * value in code throws {@link IllegalArgumentException}.
 *
 * @param level the preset level
 * @param overrides actions replacing the level's for some validations (may be empty)
 * @param verifyTimestamp when to verify the timestamp countersignature ({@code always} by default)
 */
public record SignatureVerification(
    VerificationLevel level,
    Map<ValidationType, ValidationAction> overrides,
    VerifyTimestamp verifyTimestamp) {

  public SignatureVerification {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(overrides, "overrides");
    Objects.requireNonNull(verifyTimestamp, "verifyTimestamp");
    Map<ValidationType, ValidationAction> copy = new EnumMap<>(ValidationType.class);
    for (Map.Entry<ValidationType, ValidationAction> e : overrides.entrySet()) {
      ValidationType type = Objects.requireNonNull(e.getKey(), "override type");
      ValidationAction action = Objects.requireNonNull(e.getValue(), "override action");
      if (level == VerificationLevel.SKIP) {
        throw new IllegalArgumentException(
            "signature verification level \"skip\" can't be used to customize signature"
                + " verification");
      }
      if (type == ValidationType.INTEGRITY) {
        throw new IllegalArgumentException(
            "\"integrity\" verification can not be overridden in custom signature verification");
      }
      if (action == ValidationAction.SKIP && type != ValidationType.REVOCATION) {
        throw new IllegalArgumentException(
            "\""
                + type.value()
                + "\" verification can not be skipped in custom signature"
                + " verification");
      }
      copy.put(type, action);
    }
    overrides = Collections.unmodifiableMap(copy);
  }

  /** A level without overrides, verifying timestamps always. */
  public static SignatureVerification of(VerificationLevel level) {
    return new SignatureVerification(level, Map.of(), VerifyTimestamp.ALWAYS);
  }

  /** The effective action for a validation: the override if any, else the level's. */
  public ValidationAction action(ValidationType type) {
    Objects.requireNonNull(type, "type");
    ValidationAction override = overrides.get(type);
    return override != null ? override : level.action(type);
  }
}
