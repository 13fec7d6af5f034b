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

  /** HTTP 404 with the distribution error code {@code NAME_UNKNOWN} or {@code MANIFEST_UNKNOWN}. */
  @Override
  public boolean subjectUnknown() {
    return notFound() && ("NAME_UNKNOWN".equals(errorCode) || "MANIFEST_UNKNOWN".equals(errorCode));
  }
}
