package dev.signet.reference;

import java.util.regex.Pattern;

/**
 * An image reference {@code [host[:port]/]path[:tag][@digest]}.
 *
 * <p>{@link #name()} is the name as written; {@link #registry()} and {@link #repository()} apply
 * Docker's defaults ({@code nginx} is {@code docker.io/library/nginx}). An OCI layout uses the name
 * as written ({@code local/demo}), a registry uses the normalized parts.
 */
public record Reference(String name, String tag, Digest digest) {
  public static final String DOCKER_HUB = "docker.io";
  private static final int MAX_LENGTH = 4096;
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
              + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException with a message that says what is wrong
   */
  public static Reference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("image reference is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("image reference is longer than " + MAX_LENGTH + " characters");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid image reference \"" + text + "\": " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("invalid image reference \"" + text + "\": invalid tag \"" + tag + "\"");
      }
    }
    validateName(rest, text);
    return new Reference(rest, tag, digest);
  }

  private static void validateName(String name, String text) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("invalid image reference \"" + text + "\": repository name is empty");
    }
    String[] parts = name.split("/", -1);
    int first = 0;
    if (parts.length > 1 && looksLikeDomain(parts[0])) {
      if (!DOMAIN.matcher(parts[0]).matches()) {
        throw new IllegalArgumentException("invalid image reference \"" + text + "\": invalid registry host \"" + parts[0] + "\"");
      }
      first = 1;
    }
    for (int i = first; i < parts.length; i++) {
      if (!PATH_COMPONENT.matcher(parts[i]).matches()) {
        throw new IllegalArgumentException(
            "invalid image reference \""
                + text
                + "\": repository path component \""
                + parts[i]
                + "\" must be lowercase letters, digits and separators (. _ __ -)");
      }
    }
  }

  private static boolean looksLikeDomain(String component) {
    return component.contains(".") || component.contains(":") || component.equals("localhost")
        || !component.equals(component.toLowerCase(java.util.Locale.ROOT));
  }

  /** The registry host (with port), {@code docker.io} when the name has none. */
  public String registry() {
    int slash = name.indexOf('/');
    if (slash > 0 && looksLikeDomain(name.substring(0, slash))) {
      return name.substring(0, slash);
    }
    return DOCKER_HUB;
  }

  /** The repository path inside the registry, with {@code library/} added for Docker Hub. */
  public String repository() {
    int slash = name.indexOf('/');
    String path = slash > 0 && looksLikeDomain(name.substring(0, slash)) ? name.substring(slash + 1) : name;
    if (registry().equals(DOCKER_HUB) && !path.contains("/")) {
      return "library/" + path;
    }
    return path;
  }

  /** {@code registry/repository}, the fully qualified name trust policy scopes match. */
  public String qualifiedName() {
    return registry() + "/" + repository();
  }

  /** The same repository at a digest. */
  public Reference withDigest(Digest d) {
    return new Reference(name, null, d);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name);
    if (tag != null) {
      s.append(':').append(tag);
    }
    if (digest != null) {
      s.append('@').append(digest);
    }
    return s.toString();
  }
}
