package dev.signet.cli;

/** The exit codes of the command-line contract. */
final class ExitCodes {
  static final int VERIFIED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private ExitCodes() {}
}
