package dev.signet.server.admission;

import dev.signet.result.VerificationResult;

/**
 * The decision for one distinct image of a request.
 *
 * @param image the image as written in the object
 * @param passed whether it verified
 * @param reason why it failed; empty when it passed
 * @param result the verifier's result, or null when there is none (error or timeout)
 */
public record ImageVerdict(
    String image, boolean passed, String reason, VerificationResult result) {}
