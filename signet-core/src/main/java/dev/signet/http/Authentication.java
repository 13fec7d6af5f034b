package dev.signet.http;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.net.URI;
import java.util.List;

/**
 * The credentials of one request, given by the client that knows them (a registry's Basic pair or
 * Bearer token). The {@link HttpPipeline} asks only while the request is at {@link #origin()}:
 * a redirect elsewhere is sent without them, and so is every later hop. A failure of the client's own is passed as
 * {@link HttpException#authentication}.
 */
public interface Authentication {
  /** The origin ({@code scheme://host:port}) the credentials are for; nowhere else gets them. */
  URI origin();

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
