package dev.signet.http;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.util.List;

/**
 * The credentials of one request, given by the client that knows them (a registry's Basic pair or
 * Bearer token). The {@link HttpPipeline} asks only while the request is at the origin it was
 * made for: a redirect elsewhere is sent without them. A failure of the client's own is passed as
 * {@link HttpException#authentication}.
 */
public interface Authentication {
  /** The {@code Authorization} value to send before any challenge; null for none. */
  String preemptive(Deadline deadline) throws HttpException, DeadlineExceededException;

  /**
   * The {@code Authorization} value answering a 401 with these {@code WWW-Authenticate} values;
   * null when there is nothing to answer with.
   */
  String challenged(List<String> wwwAuthenticate, Deadline deadline)
      throws HttpException, DeadlineExceededException;

  /** The server refused the answer to its challenge as well: forget what was sent. */
  void rejected();
}
