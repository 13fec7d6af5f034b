package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
/**
 * The {@code registryScopes} format (checklist §7.2): {@code domain/repository} per the
 * distribution reference grammar that notation adapts, without tag, digest, scheme or wildcard.
 * Written by hand rather than as notation's regular expressions, which backtrack exponentially on
 * hostile input in Java's regex engine (Go's is linear).
 */
final class RegistryScope {
  static final String WILDCARD = "*";

  private static final String ENSURE =
      "make sure it is a fully qualified repository without the scheme, protocol or tag. For"
          + " example domain.com/my/repository or a local scope like local/myOCILayout";

  private RegistryScope() {}

  /** Checks one scope other than the lone {@code *}. */
  static void validate(String scope) throws TrustPolicyException {
    if (scope.length() > 1 && scope.contains(WILDCARD)) {
      throw new TrustPolicyException(
          "registry scope " + GoFormat.quote(scope) + " with wild card(s) is not valid, " + ENSURE);
    }
    int slash = scope.indexOf('/');
    if (slash < 0
        || !isDomain(scope.substring(0, slash))
        || !isRepository(scope.substring(slash + 1))) {
      throw new TrustPolicyException(
          "registry scope " + GoFormat.quote(scope) + " is not valid, " + ENSURE);
    }
  }

  // label(.label)*(:port)?, label = alnum, or alnum [alnum-]* alnum.
  private static boolean isDomain(String domain) {
    int colon = domain.indexOf(':');
    String host = colon < 0 ? domain : domain.substring(0, colon);
    if (colon >= 0) {
      String port = domain.substring(colon + 1);
      if (port.isEmpty()) {
        return false;
      }
      for (int i = 0; i < port.length(); i++) {
        if (!isDigit(port.charAt(i))) {
          return false;
        }
      }
    }
    if (host.isEmpty()) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty()
          || !isAlnum(label.charAt(0))
          || !isAlnum(label.charAt(label.length() - 1))) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!isAlnum(c) && c != '-') {
          return false;
        }
      }
    }
    return true;
  }

  // component(/component)*, component = [a-z0-9]+ joined by ".", "_", "__" or one or more "-".
  private static boolean isRepository(String repository) {
    if (repository.isEmpty()) {
      return false;
    }
    for (String component : repository.split("/", -1)) {
      if (!isComponent(component)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isComponent(String c) {
    int n = c.length();
    if (n == 0 || !isLowerAlnum(c.charAt(0)) || !isLowerAlnum(c.charAt(n - 1))) {
      return false;
    }
    int i = 0;
    while (i < n) {
      if (isLowerAlnum(c.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && !isLowerAlnum(c.charAt(i))) {
        i++;
      }
      String sep = c.substring(start, i);
      if (!(sep.equals(".") || sep.equals("_") || sep.equals("__") || isDashes(sep))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDashes(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || isDigit(c);
  }

  private static boolean isAlnum(char c) {
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
