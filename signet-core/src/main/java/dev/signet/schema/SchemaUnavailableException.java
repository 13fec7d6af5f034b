package dev.signet.schema;

/** A configured schema could not be fetched or compiled. */
public final class SchemaUnavailableException extends Exception {
  public SchemaUnavailableException(String message) {
    super(message);
  }

  public SchemaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
