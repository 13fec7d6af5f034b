package dev.signet.server.admission;

/**
 * The body is not an AdmissionReview v1 request Signet can answer. The HTTP layer answers with
 * {@link #httpStatus()} and the message; the API server then applies the webhook's failurePolicy.
 */
public final class AdmissionReviewException extends Exception {
  private final int httpStatus;

  public AdmissionReviewException(int httpStatus, String message) {
    super(message);
    this.httpStatus = httpStatus;
  }

  public AdmissionReviewException(int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
  }

  /** 400 for malformed requests, 413 for oversized ones. */
  public int httpStatus() {
    return httpStatus;
  }
}
