package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registry scope format, with notation-go's TestValidRegistryScopes/TestInvalidRegistryScopes. */
class RegistryScopeTest {
  private static final String ENSURE =
      "make sure it is a fully qualified repository without the scheme, protocol or tag. For"
          + " example domain.com/my/repository or a local scope like local/myOCILayout";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com/rep",
        "example.com:8080/rep/rep2",
        "example.com/rep/subrep/subsub",
        "10.10.10.10:8080/rep/rep2",
        "domain/rep",
        "domain:1234/rep",
        "localhost:5000/test-repo",
        "registry.acme-rockets.io/software/net-monitor",
        "Registry.IO/a",
        "a-b.c/r",
        "a/r__s",
        "a/r---s",
        "a/r.s_t-u",
        "a/0",
        "local/my-oci-layout"
      })
  void valid(String scope) {
    assertThatCode(() -> RegistryScope.validate(scope)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1:1",
        "a,b",
        "abcd",
        "1111",
        "1,2",
        "example.com/rep:tag",
        "example.com/rep/subrep/sub:latest",
        "example.com",
        "rep/rep2:latest",
        "repository",
        "10.10.10.10",
        "10.10.10.10:8080/rep/rep2:latest",
        // Uppercase repositories fail the grammar, even notation's own example.
        "local/myOCILayout",
        "a/R",
        "a..b/r",
        "-a/r",
        "a-/r",
        ".a/r",
        "a./r",
        "a:/r",
        "a:12x/r",
        ":80/r",
        "a/r//s",
        "a/r/",
        "a/",
        "/r",
        "a/_r",
        "a/r_",
        "a/r.-s",
        "a/r___s",
        "a/r._s",
        "a/r\n",
        "localhost:5000\\test-repo",
        "https://a/r",
        "a/r@sha256:abc",
        "bücher.de/r"
      })
  void invalid(String scope) {
    assertThatThrownBy(() -> RegistryScope.validate(scope))
        .isInstanceOf(TrustPolicyException.class)
        .hasMessage("registry scope " + GoFormat.quote(scope) + " is not valid, " + ENSURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com/*", "*/", "example*/", "ex*test", "**"})
  void wildcards_inside_a_scope(String scope) {
    assertThatThrownBy(() -> RegistryScope.validate(scope))
        .hasMessage(
            "registry scope "
                + GoFormat.quote(scope)
                + " with wild card(s) is not valid, "
                + ENSURE);
  }
}
