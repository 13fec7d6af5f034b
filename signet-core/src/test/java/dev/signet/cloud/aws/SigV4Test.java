package dev.signet.cloud.aws;

// AWS's published Signature Version 4 test-suite examples (test resources aws-sigv4/, see NOTICE):
// each signed example request is stripped of its Authorization header and signed again; the
// result must be the published header.

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SigV4Test {
  static final SigV4.Credentials EXAMPLE =
      new SigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

  static Stream<String> examples() {
    return Stream.of(
        "get-vanilla-with-session-token",
        "post-x-www-form-urlencoded",
        "get-vanilla-query-order-key-case",
        "get-header-value-trim",
        "get-header-key-duplicate",
        "get-unreserved",
        "get-utf8",
        "get-vanilla-query-unreserved",
        "get-vanilla-empty-query-key",
        "post-vanilla");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void signs_the_published_example_as_aws_does(String name) throws Exception {
    String text = resource(name + "/header-signed-request.txt");
    int blank = text.indexOf("\n\n");
    String[] head = text.substring(0, blank).split("\n");
    byte[] body = text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
    String[] requestLine = head[0].split(" ");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String expected = null;
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      String k = head[i].substring(0, colon);
      String v = head[i].substring(colon + 1);
      if (k.equalsIgnoreCase("Authorization")) {
        expected = v;
      } else {
        headers.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
      }
    }
    URI uri = new URI("https", "example.amazonaws.com", pathOf(requestLine[1]), queryOf(requestLine[1]), null);

    String actual = SigV4.authorization(requestLine[0], uri, headers, body, EXAMPLE, "us-east-1", "service");

    assertThat(actual).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void the_session_token_example_uses_the_token_from_its_context() throws IOException {
    assertThat(resource("get-vanilla-with-session-token/context.json"))
        .contains("\"token\": \"6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\"")
        .contains("\"timestamp\": \"2015-08-30T12:36:00Z\"");
    assertThat(SigV4.amzDate(java.time.Instant.parse("2015-08-30T12:36:00Z"))).isEqualTo("20150830T123600Z");
  }

  @org.junit.jupiter.api.Test
  void credentials_print_without_the_secret() {
    assertThat(EXAMPLE.toString()).contains("AKIDEXAMPLE").doesNotContain("EXAMPLEKEY");
  }

  private static String pathOf(String target) {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  private static String queryOf(String target) {
    int q = target.indexOf('?');
    return q < 0 ? null : target.substring(q + 1);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = SigV4Test.class.getResourceAsStream("/aws-sigv4/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
