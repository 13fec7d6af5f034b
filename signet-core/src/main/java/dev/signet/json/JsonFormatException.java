package dev.signet.json;

/** An untrusted JSON document is malformed, too large or ambiguous. */
public final class JsonFormatException extends Exception {
  public JsonFormatException(String message) {
    super(message);
  }

  public JsonFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
