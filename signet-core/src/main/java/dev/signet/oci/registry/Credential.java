package dev.signet.oci.registry;

import java.util.Objects;

/**
 * What the client presents to a registry. Secrets never appear in {@link #toString()}; every
 * variant prints a redacted form so that a credential can safely end up in a log line or message.
 */
public sealed interface Credential {

  /** No credential: anonymous pulls, anonymous token requests. */
  record Anonymous() implements Credential {
    @Override
    public String toString() {
      return "Credential[anonymous]";
    }
  }

  /** A user name and password (or a registry access key used as password). */
  record Basic(String username, String password) implements Credential {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credential[basic user=" + username + ", password=<redacted>]";
    }
  }

  /**
   * An identity token (OAuth2 refresh token), as Docker's {@code identitytoken} or a credential
   * helper answering with user {@code <token>}; exchanged with the refresh-token grant.
   */
  record IdentityToken(String token) implements Credential {
    public IdentityToken {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "Credential[identity token <redacted>]";
    }
  }

  Credential ANONYMOUS = new Anonymous();
}
