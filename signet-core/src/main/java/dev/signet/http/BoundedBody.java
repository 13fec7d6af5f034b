package dev.signet.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit. Past the limit it either stops with {@link TooLarge}
 * (content we are about to trust) or keeps the first bytes and stops reading (error bodies we only
 * quote). It never holds more than {@code limit} bytes.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body is longer than allowed. */
  public static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;
    private final long limit;

    TooLarge(long limit) {
      super("the response exceeds the size limit of " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }

  private final int limit;
  private final boolean truncate;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private volatile Flow.Subscription subscription;
  private final boolean rejectUpFront;

  /**
   * @param limit the most bytes kept
   * @param truncate past the limit, keep the first bytes (true) or fail with {@link TooLarge}
   * @param declaredLength the {@code Content-Length} the server declared, -1 when none
   */
  public BoundedBody(int limit, boolean truncate, long declaredLength) {
    this.limit = limit;
    this.truncate = truncate;
    this.rejectUpFront = !truncate && declaredLength > limit;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (rejectUpFront) {
      s.cancel();
      result.completeExceptionally(new TooLarge(limit));
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      if ((long) out.size() + n > limit) {
        subscription.cancel();
        if (truncate) {
          byte[] part = new byte[limit - out.size()];
          b.get(part);
          out.write(part, 0, part.length);
          result.complete(out.toByteArray());
        } else {
          result.completeExceptionally(new TooLarge(limit));
        }
        return;
      }
      byte[] chunk = new byte[n];
      b.get(chunk);
      out.write(chunk, 0, n);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  /** Stops reading (deadline passed); the exchange is abandoned. */
  public void abort() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    result.cancel(false);
  }
}
