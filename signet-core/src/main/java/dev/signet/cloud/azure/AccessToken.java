package dev.signet.cloud.azure;

import java.time.Instant;
import java.util.Objects;

/** A Microsoft Entra ID access token and when it expires; the value never appears in toString. */
public record AccessToken(String value, Instant expiresOn) {
  public AccessToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresOn, "expiresOn");
  }

  @Override
  public String toString() {
    return "AccessToken[<redacted>, expiresOn=" + expiresOn + "]";
  }
}
