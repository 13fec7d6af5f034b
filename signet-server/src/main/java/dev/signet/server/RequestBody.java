package dev.signet.server;

import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;

/** A request's body, read within a limit: more is a 413, a body that ends early a 400. */
final class RequestBody {
  private RequestBody() {}

  /** Reads the body, at most {@code limit} bytes. */
  static byte[] read(ServerRequest req, int limit) throws RejectedRequestException {
    var length = req.headers().contentLength();
    if (length.isPresent() && length.getAsLong() > limit) {
      throw tooLarge(limit);
    }
    try (InputStream in = req.content().inputStream()) {
      if (length.isPresent()) {
        // The declared length, read into an array of that size; a body longer than declared is
        // refused as Helidon refuses it.
        byte[] bytes = new byte[(int) length.getAsLong()];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          throw new RejectedRequestException(
              400, "cannot read the request body: it ended after " + read + " of " + bytes.length + " bytes");
        }
        return bytes;
      }
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      return bytes;
    } catch (RequestException e) {
      // Helidon's own limit (the largest of the routes' limits), met while reading a chunked body.
      if (e.status().code() == 413) {
        throw tooLarge(limit);
      }
      throw new RejectedRequestException(400, "cannot read the request body: " + reason(e));
    } catch (IOException | RuntimeException e) {
      throw new RejectedRequestException(400, "cannot read the request body: " + reason(e));
    }
  }

  private static String reason(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static RejectedRequestException tooLarge(int limit) {
    return new RejectedRequestException(413, "request body is larger than " + limit + " bytes");
  }
}
