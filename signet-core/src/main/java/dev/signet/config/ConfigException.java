package dev.signet.config;

/** The configuration is unreadable or invalid; the message names the key and what is wrong. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
