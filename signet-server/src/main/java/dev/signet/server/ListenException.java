package dev.signet.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** An address the server cannot listen on: in use, not an address of this host, or not allowed. */
public final class ListenException extends Exception {
  public ListenException(String message) {
    super(message);
  }

  /**
   * Binds the address and releases it at once, so that a port in use is reported by its address
   * before any listener starts. Port 0 (any free port) and null are not checked.
   */
  static void checkFree(HostPort address) throws ListenException {
    if (address == null || address.port() == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(address.host(), address.port()));
    } catch (IOException | RuntimeException e) {
      throw new ListenException("cannot listen on " + address + ": " + reason(e));
    }
  }

  /** The innermost message of an exception chain, in lower case words as the JDK gives them. */
  static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (t instanceof BindException && m != null && m.startsWith("Address already in use")) {
      return "address already in use (another process listens there; choose another port or stop it)";
    }
    return m != null ? m : t.getClass().getSimpleName();
  }
}
