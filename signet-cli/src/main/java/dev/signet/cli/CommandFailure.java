package dev.signet.cli;

/** Ends a command with an exit code and a message for stderr. */
final class CommandFailure extends Exception {
  private final int exitCode;

  CommandFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
