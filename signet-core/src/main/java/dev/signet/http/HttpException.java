package dev.signet.http;

import java.time.Duration;

/**
 * An exchange of the {@link HttpPipeline} that gave no usable answer. The message says what went
 * wrong without the request's name (the client prefixes it) and without credentials.
 */
public final class HttpException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the exchange failed. */
  public enum Kind {
    /** No answer: connection, TLS or I/O failure, or no answer in time, after every attempt. */
    UNREACHABLE,
    /** The body was larger than the request allowed. */
    TOO_LARGE,
    /** A redirect that is not followed (scheme, downgrade, count or an invalid location). */
    REDIRECT,
    /** The request's authentication failed; the cause is the client's own exception. */
    AUTHENTICATION,
    /** The request could not be built (an invalid URL). */
    INVALID_REQUEST,
    /** The calling thread was interrupted. */
    INTERRUPTED
  }

  private final Kind kind;
  private final int attempts;
  private final transient Duration refusedRetry;

  HttpException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, 1, null);
  }

  HttpException(Kind kind, String message, Throwable cause, int attempts, Duration refusedRetry) {
    super(message, cause);
    this.kind = kind;
    this.attempts = attempts;
    this.refusedRetry = refusedRetry;
  }

  /** An authentication step that failed with the client's own exception {@code cause}. */
  public static HttpException authentication(Exception cause) {
    return new HttpException(Kind.AUTHENTICATION, cause.getMessage(), cause);
  }

  public Kind kind() {
    return kind;
  }

  /** How many times the request was sent. */
  public int attempts() {
    return attempts;
  }

  /**
   * The wait before the next attempt when that wait would have passed the deadline (so the
   * exchange gave up early); null when the attempts ran out or no retry was due.
   */
  public Duration refusedRetry() {
    return refusedRetry;
  }
}
