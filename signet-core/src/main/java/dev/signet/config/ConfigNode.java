package dev.signet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A JSON object of the configuration with its path (e.g. {@code verifier.plugins[0]}), read with
 * strict types: a wrong type is an error that names the key; keys this version does not know are
 * collected as warnings.
 */
public final class ConfigNode {
  private final JsonNode node;
  private final String path;
  private final List<String> warnings;

  public ConfigNode(JsonNode node, String path, List<String> warnings) {
    this.node = node;
    this.path = path;
    this.warnings = warnings;
  }

  public String path() {
    return path;
  }

  public JsonNode json() {
    return node;
  }

  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** Warns about keys outside {@code known}. */
  public void allowOnly(Set<String> known) {
    for (String key : node.propertyNames()) {
      if (!known.contains(key)) {
        warnings.add("unknown key " + at(key) + " is ignored");
      }
    }
  }

  /** Records something the user should know that does not stop the configuration from loading. */
  public void warn(String message) {
    warnings.add(message);
  }

  public String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public ConfigNode object(String key) throws ConfigException {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new ConfigException(at(key) + " must be an object, found " + kind(v));
    }
    return new ConfigNode(v, at(key), warnings);
  }

  public List<ConfigNode> objects(String key) throws ConfigException {
    JsonNode v = node.get(key);
    List<ConfigNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(at(key) + " must be an array, found " + kind(v));
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String p = at(key) + "[" + i + "]";
      if (!item.isObject()) {
        throw new ConfigException(p + " must be an object, found " + kind(item));
      }
      out.add(new ConfigNode(item, p, warnings));
    }
    return out;
  }

  public String string(String key) throws ConfigException {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new ConfigException(at(key) + " must be a string, found " + kind(v));
    }
    return v.asString();
  }

  public String requiredString(String key) throws ConfigException {
    String s = string(key);
    if (s == null || s.isBlank()) {
      throw new ConfigException(at(key) + " is required");
    }
    return s;
  }

  public List<String> strings(String key) throws ConfigException {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(at(key) + " must be an array of strings, found " + kind(v));
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isString()) {
        throw new ConfigException(at(key) + "[" + i + "] must be a string, found " + kind(v.get(i)));
      }
      out.add(v.get(i).asString());
    }
    return out;
  }

  public Boolean bool(String key) throws ConfigException {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(at(key) + " must be true or false, found " + kind(v));
    }
    return v.asBoolean();
  }

  /** A positive integer, or null when absent. */
  public Long positiveLong(String key) throws ConfigException {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
      throw new ConfigException(at(key) + " must be a positive integer, found " + v);
    }
    return v.asLong();
  }

  /** A non-negative integer, or null when absent. */
  public Long nonNegativeLong(String key) throws ConfigException {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new ConfigException(at(key) + " must be a non-negative integer, found " + v);
    }
    return v.asLong();
  }

  public static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
