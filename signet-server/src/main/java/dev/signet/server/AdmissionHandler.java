package dev.signet.server;

/**
 * The Kubernetes admission webhooks, plugged into the server: {@code POST /admission/validate}
 * calls {@code handle(body, false)}, {@code POST /admission/mutate} calls {@code handle(body,
 * true)}. The server reads the body (within its admission body limit, else 413), sets the trace
 * id, and sends the returned AdmissionReview JSON with status 200.
 */
@FunctionalInterface
public interface AdmissionHandler {

  /**
   * @return the AdmissionReview response body (JSON)
   * @throws RejectedRequestException to answer with its status (400 malformed, 413 too large) and
   *     message instead
   */
  byte[] handle(byte[] body, boolean mutate) throws RejectedRequestException;
}
