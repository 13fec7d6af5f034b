package dev.signet.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which redirects a {@link HttpPipeline} follows: at most {@code max} hops, only to the
 * {@code schemes} given, and never from HTTPS down to plain HTTP. Credentials go only to the
 * origin of the first request; the pipeline drops them once a redirect leaves it.
 */
public record Redirects(int max, Set<String> schemes) {
  /** http and https, at most five hops (registries and their storage back ends). */
  public static final Redirects WEB = new Redirects(5, Set.of("http", "https"));

  /** No redirect is followed: a 3xx is the answer. */
  public static final Redirects NONE = new Redirects(0, Set.of());

  public Redirects {
    schemes = Set.copyOf(schemes);
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Where {@code location} (a Location header sent for {@code from}) leads, when followed. */
  URI next(URI from, String location) throws HttpException {
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new HttpException(HttpException.Kind.REDIRECT, "redirect to an invalid location", e);
    }
    String scheme = scheme(next);
    if (!schemes.contains(scheme)) {
      throw new HttpException(HttpException.Kind.REDIRECT, "redirect to " + origin(next)
          + " refused: only " + String.join(" and ", schemes.stream().sorted().toList())
          + " URLs are followed", null);
    }
    if ("https".equals(scheme(from)) && "http".equals(scheme)) {
      throw new HttpException(HttpException.Kind.REDIRECT,
          "refusing a redirect from HTTPS to plain HTTP (" + origin(next) + ")", null);
    }
    return next;
  }

  /** {@code scheme://host[:port]} as written, for messages (never a path, query or user-info). */
  public static String origin(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost();
    return scheme(uri) + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /** Whether two URLs share scheme, host and port (default ports filled in). */
  public static boolean sameOrigin(URI a, URI b) {
    return scheme(a).equals(scheme(b))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equals(scheme(uri)) ? 443 : 80;
  }

  /** The scheme in lower case; empty when there is none. */
  public static String scheme(URI uri) {
    return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
  }
}
