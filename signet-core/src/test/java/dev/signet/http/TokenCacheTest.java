package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private final Instant now = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void a_token_is_served_until_its_expiry() {
    Clock[] clock = {Clock.fixed(now, ZoneOffset.UTC)};
    TokenCache cache =
        new TokenCache(
            10,
            new Clock() {
              @Override
              public Instant instant() {
                return clock[0].instant();
              }

              @Override
              public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
              }

              @Override
              public Clock withZone(java.time.ZoneId zone) {
                return this;
              }
            });
    cache.put("registry|repository:a:pull", "t1", now.plusSeconds(60));

    assertThat(cache.get("registry|repository:a:pull")).contains("t1");
    clock[0] = Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC);
    assertThat(cache.get("registry|repository:a:pull")).isEmpty();
  }

  @Test
  void the_number_of_tokens_is_bounded() {
    TokenCache cache = new TokenCache(100, Clock.fixed(now, ZoneOffset.UTC));
    for (int i = 0; i < 5000; i++) {
      cache.put("registry|repository:r" + i + ":pull", "t" + i, now.plus(Duration.ofHours(1)));
    }
    assertThat(cache.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void a_removed_token_is_gone_and_tokens_never_print() {
    TokenCache cache = new TokenCache(10, Clock.fixed(now, ZoneOffset.UTC));
    cache.put("k", "secret-token", now.plusSeconds(60));
    cache.remove("k");
    assertThat(cache.get("k")).isEmpty();
    cache.put("k", "secret-token", now.plusSeconds(60));
    assertThat(cache.toString()).doesNotContain("secret-token");
  }
}
