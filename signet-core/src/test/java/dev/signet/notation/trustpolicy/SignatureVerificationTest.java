package dev.signet.notation.trustpolicy;

import static dev.signet.notation.trustpolicy.ValidationAction.ENFORCE;
import static dev.signet.notation.trustpolicy.ValidationAction.LOG;
import static dev.signet.notation.trustpolicy.ValidationAction.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The level table of checklist §7.4 and every allowed override, read from documents. */
class SignatureVerificationTest {
  // Rows: strict, permissive, audit, skip. Columns: integrity, authenticity, authenticTimestamp,
  // expiry, revocation.
  private static final Map<VerificationLevel, List<ValidationAction>> TABLE =
      Map.of(
          VerificationLevel.STRICT, List.of(ENFORCE, ENFORCE, ENFORCE, ENFORCE, ENFORCE),
          VerificationLevel.PERMISSIVE, List.of(ENFORCE, ENFORCE, LOG, LOG, LOG),
          VerificationLevel.AUDIT, List.of(ENFORCE, LOG, LOG, LOG, LOG),
          VerificationLevel.SKIP, List.of(SKIP, SKIP, SKIP, SKIP, SKIP));

  private static final List<ValidationType> COLUMNS =
      List.of(
          ValidationType.INTEGRITY,
          ValidationType.AUTHENTICITY,
          ValidationType.AUTHENTIC_TIMESTAMP,
          ValidationType.EXPIRY,
          ValidationType.REVOCATION);

  private static TrustPolicyStatement read(String level, String override) throws Exception {
    boolean skip = level.equals("skip");
    String json =
        "{\"version\": \"1.0\", \"trustPolicies\": [{\"name\": \"n\", \"registryScopes\": [\"*\"],"
            + " \"signatureVerification\": {\"level\": \""
            + level
            + "\""
            + (override == null ? "" : ", \"override\": " + override)
            + "}, \"trustStores\": "
            + (skip ? "[]" : "[\"ca:s\"]")
            + ", \"trustedIdentities\": "
            + (skip ? "[]" : "[\"*\"]")
            + "}]}";
    return TrustPolicyDocument.parse(json.getBytes(StandardCharsets.UTF_8)).statements().get(0);
  }

  @Test
  void every_cell_of_the_level_table() throws Exception {
    assertThat(COLUMNS).containsExactly(ValidationType.values());
    for (VerificationLevel level : VerificationLevel.values()) {
      TrustPolicyStatement s = read(level.value(), null);
      List<ValidationAction> row = TABLE.get(level);
      for (int i = 0; i < COLUMNS.size(); i++) {
        assertThat(level.action(COLUMNS.get(i)))
            .as("%s %s", level, COLUMNS.get(i))
            .isEqualTo(row.get(i));
        assertThat(s.action(COLUMNS.get(i)))
            .as("%s %s", level, COLUMNS.get(i))
            .isEqualTo(row.get(i));
      }
    }
  }

  static Stream<Arguments> overrides() {
    List<Arguments> out = new ArrayList<>();
    for (VerificationLevel level :
        List.of(VerificationLevel.STRICT, VerificationLevel.PERMISSIVE, VerificationLevel.AUDIT)) {
      for (ValidationType type : COLUMNS.subList(1, COLUMNS.size())) {
        for (ValidationAction action : ValidationAction.values()) {
          if (action == SKIP && type != ValidationType.REVOCATION) {
            continue;
          }
          out.add(Arguments.of(level, type, action));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with {1}={2}")
  @MethodSource("overrides")
  void an_override_changes_exactly_its_cell(
      VerificationLevel level, ValidationType type, ValidationAction action) throws Exception {
    TrustPolicyStatement s =
        read(level.value(), "{\"" + type.value() + "\": \"" + action.value() + "\"}");
    List<ValidationAction> row = TABLE.get(level);
    for (int i = 0; i < COLUMNS.size(); i++) {
      ValidationType t = COLUMNS.get(i);
      assertThat(s.action(t)).as("%s", t).isEqualTo(t == type ? action : row.get(i));
    }
    assertThat(s.signatureVerification().overrides()).containsExactly(Map.entry(type, action));
  }

  @Test
  void several_overrides_apply_together() throws Exception {
    TrustPolicyStatement s =
        read("audit", "{\"authenticity\": \"enforce\", \"revocation\": \"skip\"}");
    assertThat(s.action(ValidationType.AUTHENTICITY)).isEqualTo(ENFORCE);
    assertThat(s.action(ValidationType.REVOCATION)).isEqualTo(SKIP);
    assertThat(s.action(ValidationType.EXPIRY)).isEqualTo(LOG);
  }

  @Test
  void overrides_are_copied_and_unmodifiable() {
    Map<ValidationType, ValidationAction> m = new EnumMap<>(ValidationType.class);
    m.put(ValidationType.EXPIRY, LOG);
    SignatureVerification sv =
        new SignatureVerification(VerificationLevel.STRICT, m, VerifyTimestamp.ALWAYS);
    m.put(ValidationType.AUTHENTICITY, LOG);
    assertThat(sv.action(ValidationType.AUTHENTICITY)).isEqualTo(ENFORCE);
    assertThat(sv.overrides()).hasSize(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> sv.overrides().put(ValidationType.REVOCATION, SKIP))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void document_names_of_the_enums() {
    assertThat(Stream.of(VerificationLevel.values()).map(VerificationLevel::value))
        .containsExactly("strict", "permissive", "audit", "skip");
    assertThat(Stream.of(ValidationType.values()).map(ValidationType::value))
        .containsExactly("integrity", "authenticity", "authenticTimestamp", "expiry", "revocation");
    assertThat(Stream.of(ValidationAction.values()).map(ValidationAction::value))
        .containsExactly("enforce", "log", "skip");
    assertThat(Stream.of(VerifyTimestamp.values()).map(VerifyTimestamp::value))
        .containsExactly("always", "afterCertExpiry");
  }
}
