package dev.signet.deadline;

/** The verification's time budget ran out; the step named here did not finish. */
public final class DeadlineExceededException extends Exception {
  private final String step;

  public DeadlineExceededException(String step) {
    super("the verification deadline passed during " + step);
    this.step = step;
  }

  public String step() {
    return step;
  }
}
