package dev.signet.oci.registry;

// OCI Distribution Specification v1.1, "Listing Referrers" and "Unavailable Referrers API"; OCI
// image spec 1.1 referrers tag schema; RFC 8288 Link headers for the next page.

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.HttpPipeline;
import dev.signet.http.Redirects;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.reference.Digest;
import dev.signet.reference.Reference;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The referrers of a subject, for a {@link RegistryClient}: the referrers API, else the referrers
 * tag schema (learnt per registry in {@link ReferrersSupport}), plus cosign's {@code .sig} tag
 * when enabled.
 */
record ReferrerListing(
    RegistryClient client, RegistryOptions options, ReferrersSupport referrersSupport) {
  private static final int MAX_REFERRER_PAGES = 100;
  private static final int MAX_REFERRERS = 10_000;
  private static final Pattern LINK =
      Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]*)*)");
  private static final Pattern REL_NEXT =
      Pattern.compile(";\\s*rel\\s*=\\s*(?:\"[^\"]*\\bnext\\b[^\"]*\"|next)(?:\\s|;|$)");

  /**
   * The manifests whose subject is {@code subject}: the referrers API (all pages, filtered by
   * {@code artifactType} on the server or here), else the referrers tag schema, plus the cosign
   * {@code .sig} tag when enabled. Duplicates (same digest) are listed once.
   */
  List<Descriptor> list(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    List<Descriptor> found = switch (referrersSupport.known(repository.registry())) {
      case TAG_SCHEMA -> referrersTagSchema(repository, subject, artifactType, deadline);
      case REFERRERS_API -> referrersApiElseTagSchema(repository, subject, artifactType, deadline);
      case null -> referrersBothWays(repository, subject, artifactType, deadline);
    };
    Map<Digest, Descriptor> unique = new LinkedHashMap<>();
    for (Descriptor d : found) {
      unique.putIfAbsent(d.digest(), d);
    }
    if (options.cosignEnabled()
        && (artifactType == null || artifactType.equals(MediaTypes.COSIGN_SIGNATURE_ARTIFACT_TYPE))) {
      Descriptor sig = cosignSignature(repository, subject, deadline);
      if (sig != null) {
        unique.putIfAbsent(sig.digest(), sig);
      }
    }
    return List.copyOf(unique.values());
  }

  /**
   * For a registry known to have the referrers API: the API, then the tag schema if the API turns
   * out to be missing after all (learnt again).
   */
  private List<Descriptor> referrersApiElseTagSchema(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    List<Descriptor> found = referrersApi(repository, subject, artifactType, deadline);
    if (found != null) {
      return found;
    }
    referrersSupport.learn(repository.registry(), ReferrersSupport.Way.TAG_SCHEMA);
    return referrersTagSchema(repository, subject, artifactType, deadline);
  }

  /**
   * For a registry not yet known: the referrers API and the tag schema at the same time (the tag
   * schema on a virtual thread). The API's answer wins when the registry has it, as the
   * distribution spec says; what the registry has is learnt either way. A failure of either side
   * fails the listing (fail closed), and the other side is abandoned.
   */
  private List<Descriptor> referrersBothWays(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    FutureTask<List<Descriptor>> tagSchema = new FutureTask<>(
        () -> referrersTagSchema(repository, subject, artifactType, deadline));
    Thread.ofVirtual().name("signet-referrers-tag-schema").start(tagSchema);
    List<Descriptor> api;
    try {
      api = referrersApi(repository, subject, artifactType, deadline);
    } catch (StoreException | DeadlineExceededException | RuntimeException e) {
      tagSchema.cancel(true);
      throw e;
    }
    referrersSupport.learn(repository.registry(), api != null
        ? ReferrersSupport.Way.REFERRERS_API : ReferrersSupport.Way.TAG_SCHEMA);
    List<Descriptor> tagged;
    try {
      tagged = SingleFlight.await(tagSchema, deadline,
          "referrers tag of " + subject.digest() + " in " + repository.qualifiedName());
    } finally {
      tagSchema.cancel(true);
    }
    return api != null ? api : tagged;
  }

  /** The referrers API; null when the registry does not support it. */
  private List<Descriptor> referrersApi(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = "referrers of " + subject.digest() + " in " + repository.qualifiedName();
    String query = artifactType == null ? "" : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
    URI uri = URI.create(client.repoBase(repository) + "/referrers/" + subject.digest() + query);
    URI first = uri;
    List<Descriptor> out = new ArrayList<>();
    for (int page = 0; uri != null; page++) {
      if (page >= MAX_REFERRER_PAGES) {
        throw new StoreException(what + ": more than " + MAX_REFERRER_PAGES + " pages");
      }
      HttpPipeline.Response r = client.send(HttpPipeline.Request.get(what, uri)
          .header("Accept", MediaTypes.OCI_INDEX).maxBody(options.maxManifestBytes()),
          repository.registry(), RegistryClient.pullScope(repository), deadline);
      if (r.status() == 404) {
        String code = ErrorResponse.code(r.body());
        if ("NAME_UNKNOWN".equals(code)) {
          throw ErrorResponse.failure(r, what, repository.registry());
        }
        if (page == 0) {
          return null;
        }
        throw ErrorResponse.failure(r, what, repository.registry());
      }
      if (r.status() != 200) {
        throw ErrorResponse.failure(r, what, repository.registry());
      }
      if (!MediaTypes.OCI_INDEX.equals(RegistryClient.contentType(r.headers()))) {
        if (page == 0) {
          return null; // not a referrers response: treat the API as unavailable, as oras-go does
        }
        throw new StoreException(what + ": page " + (page + 1) + " is not an OCI image index");
      }
      ImageIndex index = parseIndex(r.body(), what);
      // Filter here whether or not the registry says it did (OCI-Filters-Applied): a server that
      // claims to filter and does not would otherwise pass on referrers of other types.
      for (Descriptor d : index.manifests()) {
        if (artifactType == null || artifactType.equals(d.artifactType())) {
          out.add(d);
        }
        if (out.size() > MAX_REFERRERS) {
          throw new StoreException(what + ": more than " + MAX_REFERRERS + " referrers");
        }
      }
      uri = nextLink(r, what);
      if (uri != null && !Redirects.sameOrigin(uri, first)) {
        throw new StoreException(what + ": the next page link leaves the registry ("
            + Redirects.origin(uri) + ")");
      }
    }
    return out;
  }

  /** The referrers tag schema: an index at tag {@code <alg>-<hex>}; no tag means no referrers. */
  private List<Descriptor> referrersTagSchema(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String tag = RegistryClient.tagFor(subject.digest(), "");
    String what = "referrers tag " + tag + " of " + repository.qualifiedName();
    RegistryClient.FetchedManifest fetched;
    try {
      fetched = client.getManifest(repository, tag, null, -1, MediaTypes.OCI_INDEX, what, deadline);
    } catch (RegistryException e) {
      if (e.notFound() && !"NAME_UNKNOWN".equals(e.errorCode())) {
        return List.of();
      }
      throw e;
    }
    if (!MediaTypes.OCI_INDEX.equals(fetched.mediaType())) {
      throw new StoreException(what + " is a " + fetched.mediaType() + ", expected an OCI image index");
    }
    ImageIndex index = parseIndex(fetched.bytes(), what);
    List<Descriptor> out = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      if (artifactType == null || artifactType.equals(d.artifactType())) {
        out.add(d);
      }
    }
    return out;
  }

  private Descriptor cosignSignature(Reference repository, Descriptor subject, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String tag = RegistryClient.tagFor(subject.digest(), ".sig");
    String what = "cosign signature tag " + tag + " of " + repository.qualifiedName();
    try {
      RegistryClient.FetchedManifest m = client.getManifest(repository, tag, null, -1, RegistryClient.MANIFEST_ACCEPT, what, deadline);
      return new Descriptor(m.mediaType(), m.digest(), m.bytes().length,
          MediaTypes.COSIGN_SIGNATURE_ARTIFACT_TYPE, Map.of());
    } catch (RegistryException e) {
      if (e.notFound() && !"NAME_UNKNOWN".equals(e.errorCode())) {
        return null;
      }
      throw e;
    }
  }

  private static ImageIndex parseIndex(byte[] bytes, String what) throws StoreException {
    try {
      return ImageIndex.parse(bytes);
    } catch (ManifestFormatException e) {
      throw new StoreException(what + ": " + e.getMessage(), e);
    }
  }

  private static URI nextLink(HttpPipeline.Response r, String what) throws StoreException {
    for (String value : r.headers().allValues("link")) {
      Matcher m = LINK.matcher(value);
      while (m.find()) {
        if (REL_NEXT.matcher(m.group(2)).find()) {
          try {
            URI next = r.uri().resolve(m.group(1).trim());
            if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
              throw new StoreException(what + ": unsupported next page link scheme");
            }
            return next;
          } catch (IllegalArgumentException e) {
            throw new StoreException(what + ": invalid next page link");
          }
        }
      }
    }
    return null;
  }
}
