// Rekor's REST API (v1): POST /api/v1/index/retrieve {"hash": "sha256:<hex>"} lists the UUIDs of
// entries about an artifact hash; GET /api/v1/log/entries/<uuid> returns one entry with its signed
// entry timestamp and inclusion proof. Requests go through cloud.CloudHttp (http.HttpPipeline). What comes back is verified like an entry carried in the
// signature (log key, proof, binding to this signature): the log is only asked where to look.
package dev.signet.cosign;

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Looks the transparency log entries of a signature up in a Rekor log, inside the deadline. */
public final class RekorSearch {
  private static final int MAX_ENTRIES = 8;
  private static final int MAX_BODY = 1024 * 1024;
  private static final int MAX_PROOF_HASHES = 64;
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{64,80}");

  private final URI base;
  private final CloudHttp http;

  /**
   * @param base the log's URL ({@code rekorURL}), http or https
   */
  public RekorSearch(URI base, CloudHttp http) {
    String scheme = base.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme) || base.getHost() == null) {
      throw new IllegalArgumentException("rekorURL must be an http or https URL: " + base);
    }
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.http = http;
  }

  public URI base() {
    return base;
  }

  /** The entries the log holds about content with this SHA-256 digest (at most eight). */
  List<TlogEntry> find(byte[] sha256, Deadline deadline)
      throws CosignException, DeadlineExceededException {
    byte[] query = ("{\"hash\":\"sha256:" + HexFormat.of().formatHex(sha256) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    JsonNode uuids = json(send(HttpRequest.newBuilder(base.resolve("api/v1/index/retrieve"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(query)), "search", deadline), "search");
    List<TlogEntry> entries = new ArrayList<>();
    for (JsonNode u : uuids) {
      String uuid = u.asString("");
      if (!UUID.matcher(uuid).matches()) {
        throw failed("search", "an entry id is not hex: \"" + abbreviate(uuid) + "\"");
      }
      if (entries.size() == MAX_ENTRIES) {
        break;
      }
      JsonNode answer = json(send(HttpRequest.newBuilder(base.resolve("api/v1/log/entries/" + uuid))
          .GET(), "entry " + uuid, deadline), "entry " + uuid);
      for (var field : answer.properties()) {
        entries.add(entry(field.getValue(), uuid));
      }
    }
    return entries;
  }

  private byte[] send(HttpRequest.Builder request, String what, Deadline deadline)
      throws CosignException, DeadlineExceededException {
    String name = "Rekor " + what + " at " + CloudHttp.origin(base);
    try {
      HttpPipeline.Response r = http.send(request, name, MAX_BODY, deadline);
      if (r.status() != 200) {
        throw failed(what, "HTTP status " + r.status());
      }
      return r.body();
    } catch (CloudException e) {
      throw new CosignException(e.getMessage(), "Check that rekorURL is reachable, or attach the"
          + " log entry to the signature (cosign 2+ does).");
    }
  }

  private JsonNode json(byte[] body, String what) throws CosignException {
    try {
      return StrictJson.parse(body, MAX_BODY, "Rekor " + what + " answer");
    } catch (JsonFormatException e) {
      throw failed(what, e.getMessage());
    }
  }

  private TlogEntry entry(JsonNode e, String uuid) throws CosignException {
    try {
      JsonNode v = e.path("verification");
      TlogEntry.InclusionProof proof = null;
      JsonNode p = v.path("inclusionProof");
      if (p.isObject()) {
        if (p.path("hashes").size() > MAX_PROOF_HASHES) {
          throw new IllegalArgumentException("the inclusion proof has too many hashes");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (JsonNode h : p.path("hashes")) {
          hashes.add(HexFormat.of().parseHex(h.asString("")));
        }
        proof = new TlogEntry.InclusionProof(p.path("logIndex").asLong(-1),
            p.path("treeSize").asLong(-1), HexFormat.of().parseHex(p.path("rootHash").asString("")),
            hashes, p.path("checkpoint").asString(null));
      }
      String set = v.path("signedEntryTimestamp").asString("");
      return new TlogEntry(e.path("logIndex").asLong(-1), e.path("logID").asString(""),
          e.path("integratedTime").asLong(-1),
          Base64.getDecoder().decode(e.path("body").asString("")),
          set.isEmpty() ? null : Base64.getDecoder().decode(set), proof);
    } catch (IllegalArgumentException ex) {
      throw failed("entry " + uuid, "the entry is malformed: " + ex.getMessage());
    }
  }

  private CosignException failed(String what, String why) {
    // What the log sent back is scrubbed before it is quoted.
    return new CosignException("Rekor " + what + " at " + CloudHttp.origin(base) + " failed: "
        + http.scrub(why), "Check that rekorURL names a Rekor log.");
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
