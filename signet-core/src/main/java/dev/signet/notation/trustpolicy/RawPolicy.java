package dev.signet.notation.trustpolicy;

import java.util.List;
import java.util.Map;

/**
 * A trust policy document as written, with every value still a string, so that validation can
 * report notation's messages in notation's order. Absent values are empty strings or collections.
 */
record RawPolicy(String version, List<Statement> statements) {
  record Statement(
      String name,
      List<String> registryScopes,
      String level,
      Map<String, String> override,
      String verifyTimestamp,
      List<String> trustStores,
      List<String> trustedIdentities) {}
}
