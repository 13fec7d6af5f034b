package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** go-ldap ParseDN rules plus notation's rules (checklist §7.5). */
class TrustedSubjectNameTest {
  private static Map<String, String> parse(String dn) throws TrustPolicyException {
    return TrustedSubjectName.parse(dn);
  }

  private static String parseError(String dn) {
    try {
      TrustedSubjectName.parse(dn);
    } catch (TrustPolicyException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected " + dn + " to be rejected");
  }

  @Test
  void separators_and_trimming() throws Exception {
    assertThat(parse("CN=a,O=b;ST=c , C=d"))
        .containsExactly(
            Map.entry("CN", "a"), Map.entry("O", "b"), Map.entry("ST", "c"), Map.entry("C", "d"));
    assertThat(parse("  C = US ,  ST =  W A  ,O=x  "))
        .containsEntry("ST", "W A")
        .containsEntry("O", "x");
    // Only spaces are trimmed; tabs stay part of the value.
    assertThat(parse("C=US,ST=WA,O=\tx")).containsEntry("O", "\tx");
  }

  @Test
  void equals_signs_after_the_first_belong_to_the_value() throws Exception {
    assertThat(parse("C=US,ST=WA,O=a=b")).containsEntry("O", "a=b");
  }

  @Test
  void escapes_are_decoded() throws Exception {
    assertThat(parse("C=US,ST=WA,O=a\\,b\\+c\\;d\\\\e\\\"f\\<g\\>h\\=i\\#j"))
        .containsEntry("O", "a,b+c;d\\e\"f<g>h=i#j");
    assertThat(parse("C=US,ST=WA,O=\\2C\\2b")).containsEntry("O", ",+");
    // Hex escapes are UTF-8 bytes.
    assertThat(parse("C=US,ST=WA,O=caf\\C3\\A9")).containsEntry("O", "café");
    assertThat(parse("C=US,ST=WA,O=café")).containsEntry("O", "café");
    // Escaped spaces at either end survive trimming; an escaped backslash does not protect one.
    assertThat(parse("C=US,ST=WA,O=\\ x\\ ")).containsEntry("O", " x ");
    assertThat(parse("C=US,ST=WA,O=x\\\\ ")).containsEntry("O", "x\\");
    assertThat(parse("C=US,ST=WA,O=x\\\\\\ ")).containsEntry("O", "x\\ ");
  }

  @Test
  void s_is_read_as_st() throws Exception {
    assertThat(parse("C=US,S=WA,O=x")).containsEntry("ST", "WA").doesNotContainKey("S");
    assertThat(parseError("C=US,S=WA,ST=WA,O=x"))
        .isEqualTo(
            "distinguished name (DN) \"C=US,S=WA,ST=WA,O=x\" has duplicate RDN attribute for"
                + " \"ST\", DN can only have unique RDN attributes");
  }

  @Test
  void types_are_case_sensitive_and_kept_as_written() throws Exception {
    assertThat(parse("C=US,ST=WA,O=x,cn=y,Cn=z")).containsEntry("cn", "y").containsEntry("Cn", "z");
    assertThat(parseError("c=US,ST=WA,O=x"))
        .isEqualTo(
            "distinguished name (DN) \"c=US,ST=WA,O=x\" has no mandatory RDN attribute for \"C\","
                + " it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum");
  }

  @Test
  void multi_valued_rdns_are_errors() {
    assertThat(parseError("C=US+ST=WA,O=x"))
        .isEqualTo(
            "distinguished name (DN) \"C=US+ST=WA,O=x\" has multi-valued RDN attributes, remove"
                + " multi-valued RDN attributes as they are not supported");
  }

  @Test
  void duplicate_types_are_errors_even_after_an_empty_value() {
    assertThat(parseError("C=US,ST=WA,O=x,OU=a,OU=b"))
        .isEqualTo(
            "distinguished name (DN) \"C=US,ST=WA,O=x,OU=a,OU=b\" has duplicate RDN attribute for"
                + " \"OU\", DN can only have unique RDN attributes");
    // notation lets this through (the first value is empty); it is ambiguous, so refused.
    assertThat(parseError("C=,C=US,ST=WA,O=x")).contains("has duplicate RDN attribute for \"C\"");
  }

  @Test
  void mandatory_attributes_in_order_c_st_o() {
    assertThat(parseError("")).contains("has no mandatory RDN attribute for \"C\"");
    assertThat(parseError("   ")).contains("has no mandatory RDN attribute for \"C\"");
    assertThat(parseError("C=US,O=x")).contains("has no mandatory RDN attribute for \"ST\"");
    assertThat(parseError("C=US,ST=WA,O=")).contains("has no mandatory RDN attribute for \"O\"");
    assertThat(parseError("C=US,ST=WA,O=  ")).contains("has no mandatory RDN attribute for \"O\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C=US,ST=WA,O=a=#b",
        "1.2.3.4=#0403616263,C=US,ST=WA,O=x",
        "C=#5553,ST=WA,O=x",
        "C=US,ST=WA,O=x\\=#"
      })
  void equals_hash_is_refused(String dn) {
    assertThat(parseError(dn))
        .isEqualTo(
            "unsupported distinguished name (DN) "
                + GoFormat.quote(dn)
                + ": notation does not support x509.subject identities containing \"=#\"");
  }

  @Test
  void syntax_errors_carry_go_ldaps_reason() {
    String suffix =
        ". A valid DN must contain 'C', 'ST', and 'O' RDN attributes at a minimum, and follow RFC"
            + " 4514 standard";
    assertThat(parseError(",C=US,ST=WA,O=x"))
        .isEqualTo(
            "parsing distinguished name (DN) \",C=US,ST=WA,O=x\" failed with err: incomplete type,"
                + " value pair"
                + suffix);
    assertThat(parseError("C=US,ST=WA,O=x,"))
        .isEqualTo(
            "parsing distinguished name (DN) \"C=US,ST=WA,O=x,\" failed with err: DN ended with"
                + " incomplete type, value pair"
                + suffix);
    assertThat(parseError("C=US,ST=WA,O")).contains("DN ended with incomplete type, value pair");
    assertThat(parseError("=US,ST=WA,O=x")).contains("incomplete type, value pair");
    assertThat(parseError("C=US,ST=WA,O=x\\")).contains("got corrupted escaped character");
    assertThat(parseError("C=US,ST=WA,O=x\\4")).contains("failed to decode escaped character");
    assertThat(parseError("C=US,ST=WA,O=x\\GG")).contains("failed to decode escaped character");
    assertThat(parseError("C=US,ST=WA,O=x\\é1")).contains("failed to decode escaped character");
    assertThat(parseError("C=US,ST=WA,O=a\"b")).contains("got unescaped character: '\"'");
    assertThat(parseError("C=US,ST=WA,O=a<b")).contains("got unescaped character: '<'");
    assertThat(parseError("C=US,ST=WA,O=a>b")).contains("got unescaped character: '>'");
    assertThat(parseError("C=US,ST=WA,O=a\u0000b")).contains("got unescaped NULL character");
  }

  @Test
  void invalid_utf8_and_lone_surrogates_are_refused_rather_than_replaced() {
    assertThat(parseError("C=US,ST=WA,O=\\FF")).contains("not valid UTF-8");
    assertThat(parseError("C=US,ST=WA,O=\\C3")).contains("not valid UTF-8");
    assertThat(parseError("C=US,ST=WA,O=a\uD800b")).contains("unpaired UTF-16 surrogate");
    assertThat(parseError("C=US,ST=WA,O=a\uDC00")).contains("unpaired UTF-16 surrogate");
  }

  @Test
  void subset_is_exact_and_needs_every_attribute() throws Exception {
    Map<String, String> leaf = parse("CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US");
    assertThat(TrustedSubjectName.isSubset(parse("C=US,O=SomeOrg,ST=WA"), leaf)).isTrue();
    assertThat(TrustedSubjectName.isSubset(leaf, leaf)).isTrue();
    assertThat(TrustedSubjectName.isSubset(leaf, parse("C=US,O=SomeOrg,ST=WA"))).isFalse();
    assertThat(TrustedSubjectName.isSubset(parse("C=US,O=SomeOrg,ST=wa"), leaf)).isFalse();
    // An empty value does not match an absent attribute (notation would say it does).
    assertThat(TrustedSubjectName.isSubset(parse("C=US,O=SomeOrg,ST=WA,street="), leaf)).isFalse();
  }
}
