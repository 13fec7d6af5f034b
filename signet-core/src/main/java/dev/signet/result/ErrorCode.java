package dev.signet.result;

/**
 * Error codes with Ratify's names, so that reports and alerts read the same after a switch. Only
 * codes Signet produces are listed: Ratify's {@code SIGNATURE_NOT_FOUND} (Signet says {@link
 * #NO_VERIFIER_REPORT} for an image without signatures, as Ratify's executor does) and {@code
 * POLICY_PROVIDER_NOT_FOUND} (a configuration without a policy does not load) never occur.
 */
public enum ErrorCode {
  CONFIG_INVALID,
  REFERENCE_INVALID,
  EXECUTOR_FAILURE,
  VERIFY_REFERENCE_FAILURE,
  LIST_REFERRERS_FAILURE,
  GET_SUBJECT_DESCRIPTOR_FAILURE,
  GET_REFERRER_MANIFEST_FAILURE,
  GET_BLOB_CONTENT_FAILURE,
  REFERRER_STORE_FAILURE,
  MANIFEST_INVALID,
  NO_VERIFIER_REPORT,
  /** The verification's time budget ran out (not a Ratify code; Ratify reports a context error). */
  DEADLINE_EXCEEDED
}
