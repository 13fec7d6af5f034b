package dev.signet.cloud.azure;

// Azure Instance Metadata Service managed identity token endpoint:
// GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=...&client_id=...
// with the header "Metadata: true".

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.Scrubber;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A managed identity of the node, through the instance metadata endpoint. */
public record ManagedIdentity(URI endpoint, String clientId, CloudHttp http)
    implements EntraCredential {
  public static final URI DEFAULT_ENDPOINT =
      URI.create("http://169.254.169.254/metadata/identity/oauth2/token");

  public ManagedIdentity {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(http, "http");
  }

  @Override
  public AccessToken fetch(String scope, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    String resource = scope.endsWith("/.default")
        ? scope.substring(0, scope.length() - "/.default".length())
        : scope;
    StringBuilder query = new StringBuilder("api-version=2018-02-01&resource=")
        .append(URLEncoder.encode(resource, StandardCharsets.UTF_8));
    if (clientId != null) {
      query.append("&client_id=").append(URLEncoder.encode(clientId, StandardCharsets.UTF_8));
    }
    URI uri = URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + query);
    String what = "managed identity token request for " + describe();
    HttpPipeline.Response r =
        http.send(
            HttpRequest.newBuilder(uri).header("Metadata", "true").GET(),
            what,
            TokenAnswer.MAX_BODY,
            deadline);
    if (r.status() == 200) {
      return TokenAnswer.parse(r, what, http.clock());
    }
    String remedy = "";
    if (r.status() == 400 || r.status() == 404) {
      remedy = clientId == null
          ? ": is a managed identity assigned to this node?"
          : ": is the managed identity with client id " + clientId + " assigned to this node"
              + " (az vmss identity assign / the AKS kubelet identity)?";
    }
    throw new CloudException(what + " failed (" + TokenAnswer.errorText(r, Scrubber.shapesOnly()) + ")" + remedy, r.status());
  }

  @Override
  public String tenantId() {
    return null;
  }

  @Override
  public String describe() {
    return "managed identity (" + (clientId == null ? "system-assigned" : "client id " + clientId)
        + ", endpoint " + CloudHttp.origin(endpoint) + ")";
  }
}
