package dev.signet.notation.trustpolicy;

import dev.signet.notation.truststore.StoreType;
import java.util.Objects;

/**
 * One {@code trustStores} entry of a trust policy statement, {@code <type>:<name>} (checklist
 * §7.2). The name must match {@code [a-zA-Z0-9_.-]+}, so it can never climb out of the trust store
 * directory; constructing a bad name in code throws {@link IllegalArgumentException}.
 *
 * @param type the store type ({@code ca}, {@code signingAuthority} or {@code tsa})
 * @param name the named store
 */
public record TrustStoreRef(StoreType type, String name) {
  public TrustStoreRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "trust store name \"" + name + "\" must follow [a-zA-Z0-9_.-]+ format");
    }
  }

  /** The document form, {@code <type>:<name>}. */
  public String value() {
    return type.value() + ":" + name;
  }

  @Override
  public String toString() {
    return value();
  }

  static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
