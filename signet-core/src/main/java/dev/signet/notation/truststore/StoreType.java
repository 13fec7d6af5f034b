package dev.signet.notation.truststore;

/** The trust store types of a trust policy ({@code type:name}). */
public enum StoreType {
  CA("ca"),
  SIGNING_AUTHORITY("signingAuthority"),
  TSA("tsa");

  private final String value;

  StoreType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The type for its policy name, or null when unknown. */
  public static StoreType fromValue(String value) {
    for (StoreType t : values()) {
      if (t.value.equals(value)) {
        return t;
      }
    }
    return null;
  }
}
