package dev.signet.server;

/** A listen address: {@code PORT}, {@code :PORT}, {@code HOST:PORT} or {@code [IPv6]:PORT}. */
public record HostPort(String host, int port) {
  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host is empty");
    }
  }

  /**
   * Parses an address; a missing host means {@code defaultHost} (Ratify's {@code :6001} means all
   * interfaces). Port 0 picks a free port.
   *
   * @throws IllegalArgumentException with a message that says what is wrong
   */
  public static HostPort parse(String text, String defaultHost) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("address is empty; use PORT, :PORT or HOST:PORT");
    }
    String host;
    String port;
    int colon = t.lastIndexOf(':');
    if (colon < 0) {
      host = defaultHost;
      port = t;
    } else {
      host = t.substring(0, colon);
      port = t.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new IllegalArgumentException(
            "address \"" + text + "\": write an IPv6 host in brackets, [::1]:PORT");
      }
      if (host.isEmpty()) {
        host = defaultHost;
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "address \"" + text + "\": port \"" + port + "\" is not a number; use PORT, :PORT or HOST:PORT");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("address \"" + text + "\": port " + p + " is out of range 0-65535");
    }
    return new HostPort(host, p);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
