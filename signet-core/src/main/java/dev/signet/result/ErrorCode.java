package dev.signet.result;

/** Error codes with Ratify's names, so that reports and alerts read the same after a switch. */
public enum ErrorCode {
  CONFIG_INVALID,
  REFERENCE_INVALID,
  EXECUTOR_FAILURE,
  VERIFY_REFERENCE_FAILURE,
  SIGNATURE_NOT_FOUND,
  LIST_REFERRERS_FAILURE,
  GET_SUBJECT_DESCRIPTOR_FAILURE,
  GET_REFERRER_MANIFEST_FAILURE,
  GET_BLOB_CONTENT_FAILURE,
  REFERRER_STORE_FAILURE,
  MANIFEST_INVALID,
  NO_VERIFIER_REPORT,
  POLICY_PROVIDER_NOT_FOUND,
  /** The verification's time budget ran out (not a Ratify code; Ratify reports a context error). */
  DEADLINE_EXCEEDED
}
