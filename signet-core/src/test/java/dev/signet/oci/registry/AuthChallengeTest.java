package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

  @Test
  void parsesDockerBearerChallengesInAnyOrderWithSpaces() {
    List<AuthChallenge> c = AuthChallenge.parse(
        "Bearer scope=\"repository:a/b:pull,push\" , service = \"registry.example\",realm=\"https://auth.example/token\"");
    assertThat(c).singleElement().satisfies(x -> {
      assertThat(x.scheme()).isEqualTo("bearer");
      assertThat(x.param("realm")).isEqualTo("https://auth.example/token");
      assertThat(x.param("SERVICE")).isEqualTo("registry.example");
      assertThat(x.param("scope")).isEqualTo("repository:a/b:pull,push");
    });
  }

  @Test
  void unescapesQuotedPairsAndKeepsCommasInsideQuotes() {
    AuthChallenge c = AuthChallenge.parse("Newauth realm=\"apps, \\\"inner\\\" \\\\x\", type=1").get(0);
    assertThat(c.param("realm")).isEqualTo("apps, \"inner\" \\x");
    assertThat(c.param("type")).isEqualTo("1");
  }

  @Test
  void splitsSeveralChallengesInOneHeaderAndAcrossHeaders() {
    List<AuthChallenge> c = AuthChallenge.parse(
        "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"");
    assertThat(c).extracting(AuthChallenge::scheme).containsExactly("newauth", "basic");
    assertThat(c.get(0).params()).containsKeys("realm", "type", "title");
    assertThat(c.get(1).param("realm")).isEqualTo("simple");
    assertThat(AuthChallenge.parseAll(List.of("Basic realm=\"x\"", "Bearer realm=\"https://t\"")))
        .extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
  }

  @Test
  void acceptsToken68AndBareSchemes() {
    List<AuthChallenge> c = AuthChallenge.parse("Negotiate, Other abc+/==, Basic realm=r");
    assertThat(c).extracting(AuthChallenge::scheme).containsExactly("negotiate", "other", "basic");
    assertThat(c.get(1).token68()).isEqualTo("abc+/==");
    assertThat(c.get(2).param("realm")).isEqualTo("r");
  }

  @Test
  void rejectsAmbiguousOrBrokenHeaders() {
    assertThatThrownBy(() -> AuthChallenge.parse("Bearer realm=\"a\", realm=\"b\""))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> AuthChallenge.parse("Bearer realm=\"unterminated"))
        .hasMessageContaining("unterminated");
    assertThatThrownBy(() -> AuthChallenge.parse("Bearer realm=\"a\" service=\"b\""))
        .hasMessageContaining("expected ','");
    assertThatThrownBy(() -> AuthChallenge.parse("  ,  ")).hasMessageContaining("no challenge");
    assertThatThrownBy(() -> AuthChallenge.parse("=x")).hasMessageContaining("auth-scheme");
  }
}
