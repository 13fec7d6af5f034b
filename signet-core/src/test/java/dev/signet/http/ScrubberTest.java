package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScrubberTest {
  private final Scrubber scrubber = Scrubber.removing(List.of("hunter2-password", "s3cr3t"));

  @Test
  void known_secret_values_are_removed_wherever_they_appear() {
    assertThat(scrubber.scrub("denied for user alice with hunter2-password (s3cr3t)"))
        .isEqualTo("denied for user alice with <redacted> (<redacted>)");
  }

  @Test
  void authorization_shaped_values_are_removed() {
    assertThat(scrubber.scrub("you sent Authorization: Bearer abc.def.ghi and that is wrong"))
        .doesNotContain("abc.def.ghi")
        .contains("<redacted>");
    assertThat(scrubber.scrub("header was Basic YWxpY2U6aHVudGVyMg=="))
        .isEqualTo("header was Basic <redacted>");
  }

  @Test
  void user_info_in_urls_is_removed() {
    assertThat(scrubber.scrub("cannot fetch https://alice:pw@registry.example/v2/ now"))
        .isEqualTo("cannot fetch https://<redacted>@registry.example/v2/ now");
  }

  @Test
  void tokens_in_query_strings_are_removed() {
    assertThat(
            scrubber.scrub(
                "redirected to https://cdn.example/blob?X-Amz-Signature=abcd1234&access_token=tok"
                    + "&size=3"))
        .isEqualTo(
            "redirected to https://cdn.example/blob?X-Amz-Signature=<redacted>"
                + "&access_token=<redacted>&size=3");
  }

  @Test
  void json_web_tokens_are_removed() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl";
    assertThat(scrubber.scrub("token " + jwt + " expired")).isEqualTo("token <redacted> expired");
  }

  @Test
  void ordinary_text_is_left_alone() {
    String text = "manifest unknown: sha256:abcd is not in repository demo/app (HTTP 404)";
    assertThat(scrubber.scrub(text)).isEqualTo(text);
    assertThat(scrubber.scrub(null)).isNull();
  }
}
