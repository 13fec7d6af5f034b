package dev.signet.schema;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.HttpException;
import dev.signet.http.HttpPipeline;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/** Where a configured schema comes from: a file read at load, or a URL fetched on first use. */
public sealed interface SchemaSource {
  /** The schema, fetching it within the deadline when it is remote and not fetched yet. */
  JsonSchema schema(Deadline deadline) throws SchemaUnavailableException, DeadlineExceededException;

  /** A schema compiled when the configuration was loaded. */
  record Loaded(JsonSchema compiled) implements SchemaSource {
    @Override
    public JsonSchema schema(Deadline deadline) {
      return compiled;
    }
  }

  /**
   * A schema at an http(s) URL, fetched within the verification's deadline the first time it is
   * needed (through the {@link HttpPipeline}: at most {@link JsonSchema#MAX_SCHEMA_BYTES}, no
   * redirects, no retries) and then kept. A fetch that
   * fails is retried by the next verification.
   */
  final class Remote implements SchemaSource {
    /** Shared by every remote schema: no retries and no redirects, as a schema URL is exact. */
    private static final HttpPipeline PIPELINE = HttpPipeline.builder(Clock.systemUTC())
        .retries(0)
        .build();

    private final URI uri;
    private final AtomicReference<JsonSchema> fetched = new AtomicReference<>();

    public Remote(URI uri) {
      this.uri = uri;
    }

    public URI uri() {
      return uri;
    }

    @Override
    public JsonSchema schema(Deadline deadline)
        throws SchemaUnavailableException, DeadlineExceededException {
      JsonSchema known = fetched.get();
      if (known != null) {
        return known;
      }
      String what = "fetching the JSON schema " + uri;
      HttpPipeline.Response response;
      try {
        response = PIPELINE.send(
            HttpPipeline.Request.get(what, uri).maxBody(JsonSchema.MAX_SCHEMA_BYTES), deadline);
      } catch (HttpException e) {
        if (e.getCause() instanceof HttpTimeoutException) {
          deadline.check(what);
          throw new SchemaUnavailableException(what + " timed out", e);
        }
        throw new SchemaUnavailableException("cannot fetch the JSON schema " + uri + ": "
            + e.getMessage(), e);
      }
      if (response.status() != 200) {
        throw new SchemaUnavailableException(what + " answered HTTP " + response.status());
      }
      JsonSchema schema;
      try {
        schema = JsonSchema.compile(response.body(), uri.toString());
      } catch (IllegalArgumentException e) {
        throw new SchemaUnavailableException(PIPELINE.scrub(e.getMessage()), e);
      }
      fetched.compareAndSet(null, schema);
      return fetched.get();
    }
  }
}
