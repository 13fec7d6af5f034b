package dev.signet.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LicenseExpressionTest {
  static boolean withOnly(String expression, String... usable) {
    Set<String> keys = Set.of(usable);
    return LicenseExpression.parse(expression).satisfiable(t -> keys.contains(t.key()));
  }

  @Test
  void andNeedsEveryLicenseOrNeedsOne() {
    assertThat(withOnly("(MIT AND Zlib)", "MIT")).isFalse();
    assertThat(withOnly("(MIT AND Zlib)", "MIT", "ZLIB")).isTrue();
    assertThat(withOnly("(MIT OR GPL-3.0-or-later)", "MIT")).isTrue();
    assertThat(withOnly("(MIT OR GPL-3.0-or-later)", "APACHE-2.0")).isFalse();
  }

  @Test
  void withBindsTighterThanAndWhichBindsTighterThanOr() {
    // MIT OR (Apache-2.0 AND BSD-3-Clause)
    assertThat(withOnly("MIT OR Apache-2.0 AND BSD-3-Clause", "MIT")).isTrue();
    assertThat(withOnly("MIT OR Apache-2.0 AND BSD-3-Clause", "APACHE-2.0")).isFalse();
    // (MIT OR Apache-2.0) AND BSD-3-Clause
    assertThat(withOnly("(MIT OR Apache-2.0) AND BSD-3-Clause", "MIT")).isFalse();
    LicenseExpression e = LicenseExpression.parse("GPL-2.0-only WITH Classpath-exception-2.0 AND MIT");
    assertThat(e).isInstanceOf(LicenseExpression.All.class);
    assertThat(((LicenseExpression.All) e).operands().get(0))
        .isEqualTo(new LicenseExpression.Term("GPL-2.0-only", false, "Classpath-exception-2.0"));
  }

  @Test
  void identifiersCompareCaseInsensitivelyAndDeprecatedGnuFormsAreSpelledOut() {
    assertThat(term("mit").key()).isEqualTo(term("MIT").key());
    assertThat(term("GPL-3.0").key()).isEqualTo(term("GPL-3.0-only").key());
    assertThat(term("GPL-2.0+").key()).isEqualTo(term("GPL-2.0-or-later").key());
    assertThat(term("LGPL-3.0+").key()).isEqualTo("LGPL-3.0-OR-LATER");
    assertThat(term("Apache-2.0+").key()).isEqualTo("APACHE-2.0+");
    assertThat(term("GPL-3.0-only").key()).isNotEqualTo(term("GPL-3.0-or-later").key());
  }

  @Test
  void licenseRefsDocumentRefsAndSpecialValuesAreTerms() {
    assertThat(LicenseExpression.parse("LicenseRef-AND")).isInstanceOf(LicenseExpression.Term.class);
    assertThat(LicenseExpression.parse("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2"))
        .isInstanceOf(LicenseExpression.Term.class);
    assertThat(term("NOASSERTION").key()).isEqualTo("NOASSERTION");
    assertThat(LicenseExpression.parse("MIT AND LicenseRef-AND AND BSD-2-Clause").canonical())
        .isEqualTo("MIT AND LICENSEREF-AND AND BSD-2-CLAUSE");
  }

  @Test
  void canonicalFormIgnoresOuterParenthesesCaseAndSpacing() {
    assertThat(LicenseExpression.parse("(MIT  and Zlib)").canonical())
        .isEqualTo(LicenseExpression.parse("MIT AND Zlib").canonical());
    assertThat(LicenseExpression.parse("((MIT))").canonical()).isEqualTo("MIT");
  }

  @Test
  void canonicalFormParsesBackEvenAtTheDepthLimit() {
    assertThat(LicenseExpression.parse("MIT AND Zlib OR (BSD-2-Clause OR ISC) AND X11").canonical())
        .isEqualTo("MIT AND ZLIB OR (BSD-2-CLAUSE OR ISC) AND X11");
    // Each level "(A AND B OR ...)" used to gain a second pair of parentheses in the canonical form
    // ("(A AND B) OR ..."), which then nested deeper than the limit (found by SbomFuzzTest).
    String text = "MIT";
    for (int level = 0; level < LicenseExpression.MAX_DEPTH; level++) {
      text = "ISC AND (MIT AND Zlib OR " + text + ")";
    }
    String canonical = LicenseExpression.parse(text).canonical();
    assertThat(LicenseExpression.parse(canonical).canonical()).isEqualTo(canonical);
  }

  @Test
  void malformedExpressionsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> LicenseExpression.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> LicenseExpression.parse("MIT AND")).hasMessageContaining("ends where");
    assertThatThrownBy(() -> LicenseExpression.parse("(MIT")).hasMessageContaining("not closed");
    assertThatThrownBy(() -> LicenseExpression.parse("MIT Zlib")).hasMessageContaining("unexpected");
    assertThatThrownBy(() -> LicenseExpression.parse("SEE LICENSE IN license.md"))
        .hasMessageContaining("not an SPDX license expression");
    assertThatThrownBy(() -> LicenseExpression.parse("MIT WITH")).hasMessageContaining("WITH");
    assertThatThrownBy(() -> LicenseExpression.parse("MIT/Apache")).hasMessageContaining("'/'");
  }

  @Test
  void hostileExpressionsHitTheLimits() {
    assertThatThrownBy(() -> LicenseExpression.parse("(".repeat(40) + "MIT" + ")".repeat(40)))
        .hasMessageContaining("nest deeper than 32");
    assertThatThrownBy(() -> LicenseExpression.parse("MIT OR ".repeat(300) + "MIT"))
        .hasMessageContaining("more than 256 licenses");
    assertThatThrownBy(() -> LicenseExpression.parse("M".repeat(5000)))
        .hasMessageContaining("longer than 4096");
  }

  static LicenseExpression.Term term(String text) {
    return (LicenseExpression.Term) LicenseExpression.parse(text);
  }
}
