package dev.signet.oci.registry;

import dev.signet.oci.StoreException;

/**
 * A registry answered with an error status. {@link #errorCode()} is the first distribution-spec
 * error code of the body ({@code MANIFEST_UNKNOWN}, {@code NAME_UNKNOWN}, ...) or null.
 */
public final class RegistryException extends StoreException {
  private final int status;
  private final String errorCode;

  RegistryException(String message, int status, String errorCode) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  public boolean notFound() {
    return status == 404;
  }
}
