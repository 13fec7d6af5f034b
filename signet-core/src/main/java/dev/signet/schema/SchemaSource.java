package dev.signet.schema;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
   * needed (at most {@link JsonSchema#MAX_SCHEMA_BYTES}, no redirects) and then kept. A fetch that
   * fails is retried by the next verification.
   */
  final class Remote implements SchemaSource {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
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
      deadline.check("fetching the JSON schema " + uri);
      HttpResponse<InputStream> response;
      try {
        response = CLIENT.send(
            HttpRequest.newBuilder(uri).timeout(deadline.remaining()).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (java.net.http.HttpTimeoutException e) {
        deadline.check("fetching the JSON schema " + uri);
        throw new SchemaUnavailableException("fetching the JSON schema " + uri + " timed out", e);
      } catch (IOException e) {
        throw new SchemaUnavailableException("cannot fetch the JSON schema " + uri + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaUnavailableException("fetching the JSON schema " + uri + " was interrupted", e);
      }
      byte[] body;
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new SchemaUnavailableException(
              "fetching the JSON schema " + uri + " answered HTTP " + response.statusCode());
        }
        body = in.readNBytes(JsonSchema.MAX_SCHEMA_BYTES + 1);
      } catch (IOException e) {
        throw new SchemaUnavailableException("cannot read the JSON schema " + uri + ": " + e, e);
      }
      deadline.check("fetching the JSON schema " + uri);
      JsonSchema schema;
      try {
        schema = JsonSchema.compile(body, uri.toString());
      } catch (IllegalArgumentException e) {
        throw new SchemaUnavailableException(e.getMessage(), e);
      }
      fetched.compareAndSet(null, schema);
      return fetched.get();
    }
  }
}
