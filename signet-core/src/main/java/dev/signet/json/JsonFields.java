package dev.signet.json;

import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Reading the fields of a parsed JSON document whose shape is checked as it is read. Each method
 * names the offending place ({@code where}) and throws the caller's own format exception, made by
 * {@code error} from the message.
 */
public final class JsonFields {
  private JsonFields() {}

  /** {@code node} itself, which must be an object. */
  public static <E extends Exception> JsonNode object(
      JsonNode node, String where, Function<String, E> error) throws E {
    if (node == null || !node.isObject()) {
      throw error.apply(where + " must be an object");
    }
    return node;
  }

  /** The array at {@code key}; an empty array when the key is absent or null. */
  public static <E extends Exception> JsonNode optionalArray(
      JsonNode parent, String key, String where, Function<String, E> error) throws E {
    JsonNode v = optional(parent, key, JsonNode::isArray, "an array", where, error);
    return v == null ? StrictJson.MAPPER.createArrayNode() : v;
  }

  /** The string at {@code key}; null when the key is absent or null. */
  public static <E extends Exception> String optionalString(
      JsonNode parent, String key, String where, Function<String, E> error) throws E {
    JsonNode v = optional(parent, key, JsonNode::isString, "a string", where, error);
    return v == null ? null : v.asString();
  }

  /** The value at {@code key}, which must be {@code kind}; null when the key is absent or null. */
  private static <E extends Exception> JsonNode optional(
      JsonNode parent,
      String key,
      Predicate<JsonNode> isKind,
      String kind,
      String where,
      Function<String, E> error)
      throws E {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!isKind.test(v)) {
      throw error.apply(where + " must be " + kind);
    }
    return v;
  }
}
