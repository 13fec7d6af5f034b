package dev.signet.server;

import dev.signet.verify.Decisions;

/**
 * The Kubernetes admission webhooks, plugged into the server: {@code POST /admission/validate}
 * calls {@code handle(body, false, decisions)}, {@code POST /admission/mutate} calls {@code
 * handle(body, true, decisions)}. The server reads the body (within its admission body limit, else
 * 413) and sends the returned AdmissionReview JSON with status 200.
 */
@FunctionalInterface
public interface AdmissionHandler {

  /**
   * @param decisions the server's decisions for this request: each is logged under the request's
   *     trace id and counted in the metrics
   * @return the AdmissionReview response body (JSON)
   * @throws RejectedRequestException to answer with its status (400 malformed, 413 too large) and
   *     message instead
   */
  byte[] handle(byte[] body, boolean mutate, Decisions decisions) throws RejectedRequestException;
}
