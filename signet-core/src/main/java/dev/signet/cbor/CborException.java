package dev.signet.cbor;

/** CBOR input is malformed or outside the decoder's strict subset; says where and why. */
public final class CborException extends Exception {
  private final long offset;
  private final String reason;

  public CborException(long offset, String reason) {
    super("cbor: " + reason + " at offset " + offset);
    this.offset = offset;
    this.reason = reason;
  }

  /** Byte offset in the input where the problem was found. */
  public long offset() {
    return offset;
  }

  /** What is wrong, without the offset. */
  public String reason() {
    return reason;
  }
}
