package dev.signet.oci.registry;

// OCI Distribution Specification v1.1 (pull, referrers API and the referrers tag schema fallback,
// section "Listing Referrers" and "Unavailable Referrers API"); Docker registry token
// authentication (token and OAuth2 refresh-token grant); RFC 7235 / RFC 6750 for challenges.

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.BoundedBody;
import dev.signet.http.TokenCache;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.ContentMismatchException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A thin OCI registry client on {@link HttpClient}. Every manifest and blob it returns matched its
 * digest and size; every wait is bounded by the caller's {@link Deadline}. One instance shares one
 * HTTP client (connection reuse), one token cache and one content cache; nothing is static.
 */
public final class RegistryClient implements AutoCloseable {

  /** The artifact type Ratify gives the synthetic referrer for a cosign {@code .sig} tag. */
  public static final String COSIGN_SIGNATURE_ARTIFACT_TYPE =
      "application/vnd.dev.cosign.artifact.sig.v1+json";

  static final List<String> MANIFEST_MEDIA_TYPES =
      List.of(
          MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.OCI_ARTIFACT_MANIFEST);

  private static final String MANIFEST_ACCEPT = String.join(", ", MANIFEST_MEDIA_TYPES);
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_TOKEN_BODY = 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_REFERRER_PAGES = 100;
  private static final int MAX_REFERRERS = 10_000;
  private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(2);
  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z_]{0,63}");
  private static final Pattern LINK =
      Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]*)*)");
  private static final Pattern REL_NEXT =
      Pattern.compile(";\\s*rel\\s*=\\s*(?:\"[^\"]*\\bnext\\b[^\"]*\"|next)(?:\\s|;|$)");

  /** Waits between retries; replaced in tests so that they do not sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** One HTTP exchange to make (possibly several times). {@code registry} null means no auth. */
  private record Call(
      String what,
      String method,
      URI uri,
      String registry,
      String scope,
      Map<String, String> headers,
      byte[] body,
      int limit,
      boolean followRedirects) {}

  private record Reply(int status, HttpHeaders headers, byte[] body, URI uri) {}

  /** A manifest fetched and checked. */
  record FetchedManifest(byte[] bytes, String mediaType, Digest digest) {
    Descriptor descriptor() {
      return new Descriptor(mediaType, digest, bytes.length);
    }
  }

  private final RegistryOptions options;
  private final CredentialProvider credentials;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final HttpClient http;
  private final ContentCache cache;
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, ConnectionSlots> permits = new ConcurrentHashMap<>();
  private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
  private final TokenCache tokens;
  private final SingleFlight<Descriptor> resolutions = new SingleFlight<>();
  private final SingleFlight<String> tokenRequests = new SingleFlight<>();
  private final ReferrersSupport referrersSupport;
  private final ThrottleGate throttles;

  RegistryClient(
      RegistryOptions options,
      CredentialProvider credentials,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random)
      throws StoreException {
    this.options = options;
    this.credentials = credentials;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.cache = new ContentCache(options.cacheMaxBytes());
    this.tokens = new TokenCache(TokenCache.DEFAULT_MAX_ENTRIES, clock);
    this.throttles = new ThrottleGate(clock);
    this.referrersSupport =
        new ReferrersSupport(clock, ReferrersSupport.LIFETIME, ReferrersSupport.MAX_REGISTRIES);
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_2)
            .sslContext(TrustMaterial.sslContext(options.caFile()))
            .build();
  }

  /** A client; {@code clock} drives token expiry and {@code Retry-After} dates. */
  public static RegistryClient create(
      RegistryOptions options, CredentialProvider credentials, Clock clock) throws StoreException {
    return new RegistryClient(
        options, credentials, clock, d -> Thread.sleep(d),
        // Jitter from the calling thread's generator: RandomGenerator instances are not thread-safe.
        () -> ThreadLocalRandom.current().nextLong());
  }

  /** The identity the credential provider presents, for {@code --verbose}. */
  public String identity() {
    return credentials.describe();
  }

  /** HTTP exchanges sent so far (token requests, redirects and retries included). */
  public long requestCount() {
    return requests.get();
  }

  public RegistryOptions options() {
    return options;
  }

  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- public operations

  /** API version check ({@code GET /v2/}), authenticating if the registry asks to. */
  public void ping(String registry, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    URI uri = URI.create(base(registry) + "/v2/");
    Reply r = execute(new Call("API check of " + registry, "GET", uri, registry, null,
        Map.of(), null, MAX_ERROR_BODY, false), deadline);
    if (r.status() != 200) {
      throw failure(r, "API check of " + registry, registry);
    }
  }

  /**
   * Resolves a reference to its manifest descriptor with a {@code HEAD} when the registry's headers
   * make a complete descriptor ({@code Docker-Content-Digest}, {@code Content-Length} and a manifest
   * {@code Content-Type}), else with a GET whose digest is computed from the bytes. The body is not
   * fetched here; {@link #fetchManifest} checks it against this digest and size when it is needed.
   * A digest reference in the content cache costs no request. Identical resolutions in flight at
   * the same time share one exchange.
   */
  public Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    if (reference.digest() != null) {
      ContentCache.Entry hit = cache.get(reference.digest());
      if (hit != null && hit.mediaType() != null) {
        return new Descriptor(hit.mediaType(), reference.digest(), hit.bytes().length);
      }
    }
    return resolutions.run(reference.toString(), deadline, "manifest " + reference,
        () -> resolveAtRegistry(reference, deadline));
  }

  private Descriptor resolveAtRegistry(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String ref = manifestReference(reference);
    String what = "manifest " + reference;
    Reply r = execute(new Call(what, "HEAD", manifestUri(reference, ref), reference.registry(),
        pullScope(reference), Map.of("Accept", MANIFEST_ACCEPT), null, 0, false), deadline);
    Descriptor headed = r.status() == 200 ? headDescriptor(r, reference, what) : null;
    if (headed != null) {
      return headed;
    }
    if (r.status() == 429 || r.status() >= 500) {
      throw failure(r, what, reference.registry()); // retried already; a GET would add to the load
    }
    // Incomplete headers, or an error whose code and message are in a body a HEAD does not carry
    // (MANIFEST_UNKNOWN or NAME_UNKNOWN, DENIED, ...): asked again with GET.
    return getManifest(reference, ref, reference.digest(), -1, MANIFEST_ACCEPT, what, deadline)
        .descriptor();
  }

  /**
   * The descriptor in the headers of a successful {@code HEAD}; null when they do not make a
   * complete one (no digest for a tag, no size, or no manifest media type).
   */
  private Descriptor headDescriptor(Reply r, Reference reference, String what)
      throws StoreException {
    String digestText = r.headers().firstValue("docker-content-digest").orElse(null);
    Digest digest = reference.digest();
    if (digestText != null) {
      Digest header = parseDigestHeader(digestText, what);
      if (digest != null && !digest.equals(header)) {
        throw new StoreException(what + ": the registry answered for " + header);
      }
      digest = header;
    }
    long size = r.headers().firstValueAsLong("content-length").orElse(-1);
    if (size > options.maxManifestBytes()) {
      throw new StoreException(what + " is " + size
          + " bytes, larger than the manifest limit of " + options.maxManifestBytes() + " bytes");
    }
    String mediaType = contentType(r.headers());
    if (digest == null || size <= 0 || !MANIFEST_MEDIA_TYPES.contains(mediaType)) {
      return null;
    }
    return new Descriptor(mediaType, digest, size);
  }

  private static String manifestReference(Reference reference) {
    if (reference.digest() != null) {
      return reference.digest().toString();
    }
    return reference.tag() == null ? "latest" : reference.tag();
  }

  /**
   * Checks that a manifest exists with {@code HEAD}; the descriptor comes from response headers and
   * is not content-verified (use {@link #fetchManifest} for that). Empty when the registry says 404.
   */
  public Optional<Descriptor> headManifest(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = "manifest " + reference;
    Reply r = execute(new Call(what, "HEAD", manifestUri(reference, manifestReference(reference)),
        reference.registry(), pullScope(reference), Map.of("Accept", MANIFEST_ACCEPT), null, 0,
        false), deadline);
    if (r.status() == 404) {
      return Optional.empty();
    }
    if (r.status() != 200) {
      throw failure(r, what, reference.registry());
    }
    Descriptor d = headDescriptor(r, reference, what);
    if (d == null) {
      throw new StoreException(what + ": the registry's headers do not name its digest, size and"
          + " manifest media type; resolve it with GET");
    }
    return Optional.of(d);
  }

  /** Fetches a manifest (or index) by descriptor, checked against its digest and size. */
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = "manifest " + descriptor.digest() + " of " + repository.qualifiedName();
    if (descriptor.size() > options.maxManifestBytes()) {
      throw new StoreException(what + " is " + descriptor.size()
          + " bytes, larger than the manifest limit of " + options.maxManifestBytes() + " bytes");
    }
    byte[] cached = cached(descriptor, what);
    if (cached != null) {
      return cached;
    }
    return getManifest(repository, descriptor.digest().toString(), descriptor.digest(),
        descriptor.size(), MANIFEST_ACCEPT, what, deadline).bytes().clone();
  }

  /** Fetches a blob by descriptor, following redirects, checked against its digest and size. */
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = "blob " + descriptor.digest() + " of " + repository.qualifiedName();
    if (descriptor.size() > options.maxBlobBytes()) {
      throw new StoreException(what + " is " + descriptor.size()
          + " bytes, larger than the blob limit of " + options.maxBlobBytes() + " bytes");
    }
    byte[] cached = cached(descriptor, what);
    if (cached != null) {
      return cached;
    }
    URI uri = URI.create(repoBase(repository) + "/blobs/" + descriptor.digest());
    Reply r = execute(new Call(what, "GET", uri, repository.registry(), pullScope(repository),
        Map.of(), null, (int) descriptor.size(), true), deadline);
    if (r.status() != 200) {
      throw failure(r, what, repository.registry());
    }
    checkContent(descriptor, r.body(), what);
    cache.put(descriptor.digest(), r.body(), null);
    return r.body().clone();
  }

  /**
   * The manifests whose subject is {@code subject}: the referrers API (all pages, filtered by
   * {@code artifactType} on the server or here), else the referrers tag schema, plus the cosign
   * {@code .sig} tag when enabled. Duplicates (same digest) are listed once.
   */
  public List<Descriptor> referrers(
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
        && (artifactType == null || artifactType.equals(COSIGN_SIGNATURE_ARTIFACT_TYPE))) {
      Descriptor sig = cosignSignature(repository, subject, deadline);
      if (sig != null) {
        unique.putIfAbsent(sig.digest(), sig);
      }
    }
    return List.copyOf(unique.values());
  }

  // ---------------------------------------------------------------- push (tests, tooling)

  /** Uploads a blob (POST then PUT, monolithic) unless the registry has it already. */
  Descriptor pushBlob(Reference repository, String mediaType, byte[] content, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    Digest digest = Digest.sha256(content);
    Descriptor descriptor = new Descriptor(mediaType, digest, content.length);
    String registry = repository.registry();
    String scope = pushScope(repository);
    String what = "upload of blob " + digest + " to " + repository.qualifiedName();
    URI blob = URI.create(repoBase(repository) + "/blobs/" + digest);
    Reply head = execute(new Call(what, "HEAD", blob, registry, scope, Map.of(), null, 0, false),
        deadline);
    if (head.status() == 200) {
      return descriptor;
    }
    URI start = URI.create(repoBase(repository) + "/blobs/uploads/");
    Reply started = execute(new Call(what, "POST", start, registry, scope,
        Map.of(), new byte[0], MAX_ERROR_BODY, false), deadline);
    if (started.status() != 202) {
      throw failure(started, what, registry);
    }
    String location = started.headers().firstValue("location")
        .orElseThrow(() -> new StoreException(what + ": the registry sent no upload location"));
    URI upload = started.uri().resolve(location);
    String sep = upload.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(upload + sep + "digest=" + enc(digest.toString()));
    Reply done = execute(new Call(what, "PUT", put, registry, scope,
        Map.of("Content-Type", "application/octet-stream"), content, MAX_ERROR_BODY, false),
        deadline);
    if (done.status() != 201) {
      throw failure(done, what, registry);
    }
    return descriptor;
  }

  /** Puts a manifest under a tag or its digest. */
  Descriptor pushManifest(
      Reference repository, String tagOrDigest, String mediaType, byte[] content, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = "upload of manifest " + tagOrDigest + " to " + repository.qualifiedName();
    Reply r = execute(new Call(what, "PUT", manifestUri(repository, tagOrDigest),
        repository.registry(), pushScope(repository), Map.of("Content-Type", mediaType), content,
        MAX_ERROR_BODY, false), deadline);
    if (r.status() != 201) {
      throw failure(r, what, repository.registry());
    }
    return new Descriptor(mediaType, Digest.sha256(content), content.length);
  }

  // ---------------------------------------------------------------- referrers

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
    String query = artifactType == null ? "" : "?artifactType=" + enc(artifactType);
    URI uri = URI.create(repoBase(repository) + "/referrers/" + subject.digest() + query);
    URI origin = origin(uri);
    List<Descriptor> out = new ArrayList<>();
    for (int page = 0; uri != null; page++) {
      if (page >= MAX_REFERRER_PAGES) {
        throw new StoreException(what + ": more than " + MAX_REFERRER_PAGES + " pages");
      }
      Reply r = execute(new Call(what, "GET", uri, repository.registry(), pullScope(repository),
          Map.of("Accept", MediaTypes.OCI_INDEX), null, options.maxManifestBytes(), false),
          deadline);
      if (r.status() == 404) {
        String code = errorCode(r.body());
        if ("NAME_UNKNOWN".equals(code)) {
          throw failure(r, what, repository.registry());
        }
        if (page == 0) {
          return null;
        }
        throw failure(r, what, repository.registry());
      }
      if (r.status() != 200) {
        throw failure(r, what, repository.registry());
      }
      if (!MediaTypes.OCI_INDEX.equals(contentType(r.headers()))) {
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
      if (uri != null && !origin(uri).equals(origin)) {
        throw new StoreException(what + ": the next page link leaves the registry (" + origin(uri) + ")");
      }
    }
    return out;
  }

  /** The referrers tag schema: an index at tag {@code <alg>-<hex>}; no tag means no referrers. */
  private List<Descriptor> referrersTagSchema(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String tag = tagFor(subject.digest(), "");
    String what = "referrers tag " + tag + " of " + repository.qualifiedName();
    FetchedManifest fetched;
    try {
      fetched = getManifest(repository, tag, null, -1, MediaTypes.OCI_INDEX, what, deadline);
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
    String tag = tagFor(subject.digest(), ".sig");
    String what = "cosign signature tag " + tag + " of " + repository.qualifiedName();
    try {
      FetchedManifest m = getManifest(repository, tag, null, -1, MANIFEST_ACCEPT, what, deadline);
      return new Descriptor(m.mediaType(), m.digest(), m.bytes().length,
          COSIGN_SIGNATURE_ARTIFACT_TYPE, Map.of());
    } catch (RegistryException e) {
      if (e.notFound() && !"NAME_UNKNOWN".equals(e.errorCode())) {
        return null;
      }
      throw e;
    }
  }

  /** {@code <alg>-<hex, at most 64 characters>} plus a suffix, per the referrers tag schema. */
  static String tagFor(Digest digest, String suffix) {
    String hex = digest.hex().length() > 64 ? digest.hex().substring(0, 64) : digest.hex();
    return digest.algorithm() + "-" + hex + suffix;
  }

  private static ImageIndex parseIndex(byte[] bytes, String what) throws StoreException {
    try {
      return ImageIndex.parse(bytes);
    } catch (ManifestFormatException e) {
      throw new StoreException(what + ": " + e.getMessage(), e);
    }
  }

  private static URI nextLink(Reply r, String what) throws StoreException {
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

  // ---------------------------------------------------------------- manifests and content checks

  private FetchedManifest getManifest(
      Reference repository,
      String reference,
      Digest expected,
      long expectedSize,
      String accept,
      String what,
      Deadline deadline)
      throws StoreException, DeadlineExceededException {
    int limit = expectedSize >= 0 ? (int) expectedSize : options.maxManifestBytes();
    Reply r = execute(new Call(what, "GET", manifestUri(repository, reference),
        repository.registry(), pullScope(repository), Map.of("Accept", accept), null, limit, false),
        deadline);
    if (r.status() != 200) {
      throw failure(r, what, repository.registry());
    }
    byte[] body = r.body();
    String headerText = r.headers().firstValue("docker-content-digest").orElse(null);
    Digest digest;
    if (expected != null) {
      if (expectedSize >= 0) {
        checkContent(new Descriptor(null, expected, expectedSize), body, what);
      } else if (!expected.matches(body)) {
        throw mismatch(what + ": the registry sent content that does not match " + expected);
      }
      digest = expected;
    } else if (headerText != null) {
      digest = parseDigestHeader(headerText, what);
      if (!digest.matches(body)) {
        throw mismatch(what + ": the registry's Docker-Content-Digest " + digest
            + " does not match the manifest it sent");
      }
    } else {
      digest = Digest.sha256(body);
    }
    String mediaType = manifestMediaType(r.headers(), body, what);
    cache.put(digest, body, mediaType);
    return new FetchedManifest(body, mediaType, digest);
  }

  /** Content-Type when it names a manifest type, else the document's own mediaType. */
  private static String manifestMediaType(HttpHeaders headers, byte[] body, String what)
      throws StoreException {
    String declared = contentType(headers);
    if (declared != null && MANIFEST_MEDIA_TYPES.contains(declared)) {
      return declared;
    }
    try {
      JsonNode root = StrictJson.parseObject(body, body.length + 1, what);
      JsonNode mt = root.get("mediaType");
      if (mt != null && mt.isString() && MANIFEST_MEDIA_TYPES.contains(mt.asString())) {
        return mt.asString();
      }
    } catch (JsonFormatException e) {
      throw new StoreException(e.getMessage(), e);
    }
    throw new StoreException(what + ": unsupported manifest media type "
        + (declared == null ? "(none)" : "\"" + declared + "\""));
  }

  private byte[] cached(Descriptor descriptor, String what) throws StoreException {
    ContentCache.Entry hit = cache.get(descriptor.digest());
    if (hit == null) {
      return null;
    }
    if (hit.bytes().length != descriptor.size()) {
      throw mismatch(what + " is " + hit.bytes().length + " bytes, its descriptor says "
          + descriptor.size());
    }
    return hit.bytes().clone();
  }

  private static void checkContent(Descriptor descriptor, byte[] body, String what)
      throws StoreException {
    try {
      descriptor.verifyContent(body);
    } catch (ContentMismatchException e) {
      throw new StoreException(what + ": " + e.getMessage(), e);
    }
  }

  private static StoreException mismatch(String message) {
    return new StoreException(message, new ContentMismatchException(message));
  }

  private static Digest parseDigestHeader(String text, String what) throws StoreException {
    try {
      return Digest.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new StoreException(what + ": invalid Docker-Content-Digest header: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- HTTP with retries

  private Reply execute(Call call, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    for (int attempt = 0; ; attempt++) {
      deadline.check(call.what());
      Reply reply = null;
      IOException failure = null;
      try {
        reply = exchangeFollowing(call, deadline);
      } catch (IOException e) {
        failure = e;
      }
      boolean retryable = failure != null || reply.status() == 429
          || (reply.status() >= 500 && reply.status() != 501 && reply.status() != 505);
      if (!retryable) {
        return reply;
      }
      boolean throttled = reply != null && reply.status() == 429;
      Duration wait = backoff(attempt, reply);
      if (throttled) {
        // Every request to this host waits now, this one's retry included (in openSlot).
        throttles.close(reply.uri().getRawAuthority(), wait);
      }
      if (attempt >= options.maxRetries()) {
        if (failure != null) {
          int attempts = attempt + 1;
          String after = " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
          if (unresolved(failure)) {
            throw new StoreException(call.what() + ": cannot resolve host "
                + call.uri().getHost() + after + "; check the registry name and the DNS the"
                + " server uses", failure);
          }
          throw new StoreException(call.what() + ": cannot reach " + origin(call.uri()) + " ("
              + describe(failure) + ")" + after, failure);
        }
        return reply;
      }
      if (wait.compareTo(deadline.remaining()) >= 0) {
        String why = failure != null ? describe(failure) : "HTTP " + reply.status();
        throw new DeadlineExceededException(call.what() + " (" + why + "; the next retry in "
            + wait.toMillis() + " ms would pass the deadline)");
      }
      if (throttled) {
        continue;
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(call.what() + ": interrupted");
      }
    }
  }

  /** Exponential backoff with jitter, or the registry's {@code Retry-After} when it sends one. */
  private Duration backoff(int attempt, Reply reply) {
    if (reply != null) {
      Optional<String> retryAfter = reply.headers().firstValue("retry-after");
      if (retryAfter.isPresent()) {
        Duration asked = parseRetryAfter(retryAfter.get().trim());
        if (asked != null) {
          return asked;
        }
      }
    }
    long ceiling = Math.min(BACKOFF_CAP.toMillis(), BACKOFF_BASE.toMillis() << Math.min(attempt, 10));
    long jittered = ceiling / 2 + random.nextLong(ceiling / 2 + 1);
    return Duration.ofMillis(jittered);
  }

  private Duration parseRetryAfter(String value) {
    if (value.matches("[0-9]{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** One logical request: authentication round trips and redirects (GET only) included. */
  private Reply exchangeFollowing(Call call, Deadline deadline)
      throws IOException, StoreException, DeadlineExceededException {
    URI uri = call.uri();
    URI registryOrigin = call.registry() == null ? null : origin(URI.create(base(call.registry())));
    boolean trusted = registryOrigin != null;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      // Credentials go only to the registry's own origin, never to a redirect target elsewhere.
      trusted = trusted && origin(uri).equals(registryOrigin);
      String auth = trusted ? preemptiveAuthorization(call, deadline) : null;
      Reply r = exchange(call, uri, auth, deadline);
      if (r.status() == 401 && trusted) {
        List<String> header = r.headers().allValues("www-authenticate");
        if (!header.isEmpty()) {
          String fresh = authorize(call, header, deadline);
          if (fresh != null) {
            r = exchange(call, uri, fresh, deadline);
          }
          if (r.status() == 401) {
            credentials.evict(call.registry());
            tokens.remove(tokenKey(call.registry(), call.scope()));
          }
        }
      }
      if (call.followRedirects() && isRedirect(r.status())) {
        String location = r.headers().firstValue("location").orElse(null);
        if (location == null) {
          return r;
        }
        URI next;
        try {
          next = uri.resolve(location.trim());
        } catch (IllegalArgumentException e) {
          throw new StoreException(call.what() + ": the registry sent an invalid redirect location");
        }
        String scheme = next.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
          throw new StoreException(call.what() + ": redirect to an unsupported scheme");
        }
        if ("https".equals(uri.getScheme()) && "http".equals(scheme)) {
          throw new StoreException(call.what() + ": refusing a redirect from HTTPS to plain HTTP ("
              + origin(next) + ")");
        }
        uri = next;
        continue;
      }
      return r;
    }
    throw new StoreException(call.what() + ": more than " + MAX_REDIRECTS + " redirects");
  }

  /**
   * The credentials this client has sent (header values, their tokens, decoded Basic pairs and
   * passwords), at most {@value #MAX_SENT_SECRETS}, so that text a registry sends back can be
   * scrubbed of them: registries echo requests in their errors.
   */
  private final Map<String, Boolean> sentSecrets =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > MAX_SENT_SECRETS;
            }
          });

  private static final int MAX_SENT_SECRETS = 256;

  private void remember(String authorization) {
    sentSecrets.put(authorization, Boolean.TRUE);
    int space = authorization.indexOf(' ');
    if (space < 0) {
      return;
    }
    String value = authorization.substring(space + 1).trim();
    sentSecrets.put(value, Boolean.TRUE);
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(java.util.Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        sentSecrets.put(pair, Boolean.TRUE);
        int colon = pair.indexOf(':');
        if (colon >= 0) {
          sentSecrets.put(pair.substring(colon + 1), Boolean.TRUE);
        }
      } catch (IllegalArgumentException e) {
        // not base64: the header value itself is remembered
      }
    }
  }

  /** {@code text} without the credentials this client sent or anything shaped like one. */
  String scrub(String text) {
    java.util.List<String> secrets;
    synchronized (sentSecrets) {
      secrets = java.util.List.copyOf(sentSecrets.keySet());
    }
    return dev.signet.http.Scrubber.removing(secrets).scrub(text);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private Reply exchange(Call call, URI uri, String authorization, Deadline deadline)
      throws IOException, StoreException, DeadlineExceededException {
    Duration budget = deadline.remainingAtMost(options.requestTimeout());
    if (budget.isZero()) {
      throw new DeadlineExceededException(call.what());
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(budget);
    if ("http".equals(uri.getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain HTTP
    }
    call.headers().forEach(b::header);
    String headerCredential = call.headers().get("Authorization");
    if (headerCredential != null) {
      remember(headerCredential);
    }
    b.header("User-Agent", "signet");
    if (authorization != null) {
      b.header("Authorization", authorization);
      remember(authorization);
    }
    b.method(call.method(), call.body() == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
    HttpRequest request = b.build();

    ConnectionSlots permit = openSlot(call, uri.getRawAuthority(), deadline);
    AtomicReference<BoundedBody> subscriber = new AtomicReference<>();
    CompletableFuture<HttpResponse<byte[]>> future = null;
    try {
      requests.incrementAndGet();
      boolean head = call.method().equals("HEAD");
      future = http.sendAsync(request, info -> {
        if (head) {
          return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        BoundedBody body = ok
            ? new BoundedBody(call.limit(), false, declared)
            : new BoundedBody(MAX_ERROR_BODY, true, declared);
        subscriber.set(body);
        return body;
      });
      long waitMillis = Math.max(1, deadline.remainingAtMost(options.requestTimeout()).toMillis());
      HttpResponse<byte[]> resp = future.get(waitMillis, TimeUnit.MILLISECONDS);
      return new Reply(resp.statusCode(), resp.headers(), resp.body() == null ? new byte[0] : resp.body(), uri);
    } catch (TimeoutException e) {
      abandon(future, subscriber);
      if (deadline.expired()) {
        throw new DeadlineExceededException(call.what() + " (no complete answer from "
            + uri.getRawAuthority() + ")");
      }
      throw new HttpTimeoutException("no complete answer within " + options.requestTimeout().toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BoundedBody.TooLarge tl) {
        throw mismatch(call.what() + ": the registry sent more than " + tl.limit()
            + " bytes (the expected size or the configured limit)");
      }
      if (cause instanceof HttpTimeoutException && deadline.expired()) {
        throw new DeadlineExceededException(call.what());
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new StoreException(call.what() + ": " + describe(cause), cause);
    } catch (InterruptedException e) {
      abandon(future, subscriber);
      Thread.currentThread().interrupt();
      throw new StoreException(call.what() + ": interrupted");
    } finally {
      permit.release();
    }
  }

  /**
   * A connection slot to {@code host}, taken once the host's throttling pause (if any) is over. A
   * pause that another request extends while this one waits for a slot is waited for too.
   */
  private ConnectionSlots openSlot(Call call, String host, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    ConnectionSlots permit = permits.computeIfAbsent(host,
        k -> new ConnectionSlots(options.maxConcurrentRequests()));
    Instant waited = null;
    try {
      while (true) {
        Instant until = throttles.closedUntil(host);
        if (until != null && (waited == null || until.isAfter(waited))) {
          Duration pause = Duration.between(clock.instant(), until);
          if (pause.compareTo(deadline.remaining()) >= 0) {
            throw new DeadlineExceededException(call.what() + " (" + host + " is throttling"
                + " requests (HTTP 429); the " + pause.toMillis() + " ms pause it asked for would"
                + " pass the deadline)");
          }
          sleeper.sleep(pause);
          waited = until;
        }
        Duration budget = deadline.remainingAtMost(options.requestTimeout());
        if (!permit.acquire(deadline.at(), budget)) {
          throw new DeadlineExceededException(call.what() + " (waiting for a free connection slot"
              + " to " + host + ")");
        }
        Instant now = throttles.closedUntil(host);
        if (now == null || (waited != null && !now.isAfter(waited))) {
          return permit;
        }
        permit.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(call.what() + ": interrupted");
    }
  }

  private static void abandon(CompletableFuture<?> future, AtomicReference<BoundedBody> subscriber) {
    BoundedBody body = subscriber.get();
    if (body != null) {
      body.abort();
    }
    if (future != null) {
      future.cancel(true);
    }
  }

  // ---------------------------------------------------------------- authentication

  private String preemptiveAuthorization(Call call, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    AuthChallenge known = challenges.get(call.registry());
    if (known == null) {
      return null;
    }
    if (known.scheme().equals("basic")) {
      return basicHeader(credentials.credentialFor(call.registry()));
    }
    Optional<String> token = tokens.get(tokenKey(call.registry(), call.scope()));
    if (token.isPresent()) {
      return "Bearer " + token.get();
    }
    return "Bearer " + sharedToken(call, known, deadline);
  }

  /** Answers a 401 challenge; null when there is nothing to answer it with. */
  private String authorize(Call call, List<String> header, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    List<AuthChallenge> offered;
    try {
      offered = AuthChallenge.parseAll(header);
    } catch (IllegalArgumentException e) {
      throw new StoreException(call.what() + ": " + e.getMessage());
    }
    AuthChallenge bearer = null;
    AuthChallenge basic = null;
    for (AuthChallenge c : offered) {
      if (c.scheme().equals("bearer") && bearer == null) {
        bearer = c;
      } else if (c.scheme().equals("basic") && basic == null) {
        basic = c;
      }
    }
    if (bearer != null) {
      challenges.put(call.registry(), bearer);
      tokens.remove(tokenKey(call.registry(), call.scope()));
      return "Bearer " + sharedToken(call, bearer, deadline);
    }
    if (basic != null) {
      challenges.put(call.registry(), basic);
      return basicHeader(credentials.credentialFor(call.registry()));
    }
    throw new StoreException(call.what() + ": the registry asks for an unsupported authentication scheme ("
        + offered.get(0).scheme() + ")");
  }

  private static String basicHeader(Credential credential) {
    if (credential instanceof Credential.Basic b) {
      String pair = b.username() + ":" + b.password();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** A new token; requests needing the same one at the same time share one token request. */
  private String sharedToken(Call call, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return tokenRequests.run(tokenKey(call.registry(), call.scope()), deadline,
        "token request for " + call.registry(), () -> fetchToken(call, challenge, deadline));
  }

  private String fetchToken(Call call, AuthChallenge challenge, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String registry = call.registry();
    String realm = challenge.param("realm");
    String what = "token request for " + registry;
    if (realm == null || realm.isEmpty()) {
      throw new StoreException(what + ": the Bearer challenge has no realm");
    }
    URI realmUri;
    try {
      realmUri = new URI(realm);
    } catch (java.net.URISyntaxException e) {
      throw new StoreException(what + ": the Bearer realm is not a valid URL");
    }
    boolean plainRegistry = base(registry).startsWith("http:");
    if (!"https".equals(realmUri.getScheme())
        && !("http".equals(realmUri.getScheme()) && plainRegistry)) {
      throw new StoreException(what + ": refusing to send credentials to the non-HTTPS realm " + origin(realmUri));
    }
    Set<String> scopes = new LinkedHashSet<>();
    if (call.scope() != null) {
      scopes.add(call.scope());
    }
    String asked = challenge.param("scope");
    if (asked != null) {
      for (String s : asked.trim().split("\\s+")) {
        if (!s.isEmpty()) {
          scopes.add(s);
        }
      }
    }
    String service = challenge.param("service");
    Credential credential = credentials.credentialFor(registry, challenge, deadline);
    StringBuilder form = new StringBuilder();
    if (service != null) {
      form.append("service=").append(enc(service));
    }
    for (String s : scopes) {
      form.append(form.isEmpty() ? "" : "&").append("scope=").append(enc(s));
    }
    Call tokenCall;
    Map<String, String> headers = new LinkedHashMap<>();
    if (credential instanceof Credential.IdentityToken it) {
      form.append(form.isEmpty() ? "" : "&").append("grant_type=refresh_token")
          .append("&client_id=signet&refresh_token=").append(enc(it.token()));
      sentSecrets.put(it.token(), Boolean.TRUE);
      headers.put("Content-Type", "application/x-www-form-urlencoded");
      tokenCall = new Call(what, "POST", realmUri, null, null, headers,
          form.toString().getBytes(StandardCharsets.UTF_8), MAX_TOKEN_BODY, false);
    } else {
      String basic = basicHeader(credential);
      if (basic != null) {
        headers.put("Authorization", basic);
      }
      String sep = realmUri.getRawQuery() == null ? "?" : "&";
      URI get = form.isEmpty() ? realmUri : URI.create(realmUri + sep + form);
      tokenCall = new Call(what, "GET", get, null, null, headers, null, MAX_TOKEN_BODY, false);
    }
    Reply r = execute(tokenCall, deadline);
    if (r.status() == 401 || r.status() == 403) {
      credentials.evict(registry);
      throw new RegistryException(what + " was rejected (HTTP " + r.status()
          + "): " + credentials.remedy(registry), r.status(), errorCode(r.body()));
    }
    if (r.status() != 200) {
      throw failure(r, what, registry);
    }
    JsonNode json;
    try {
      json = StrictJson.parseObject(r.body(), MAX_TOKEN_BODY, "token response");
    } catch (JsonFormatException e) {
      throw new StoreException(what + ": the token response is not a JSON object");
    }
    String value = tokenField(json, "token");
    if (value == null) {
      value = tokenField(json, "access_token");
    }
    if (value == null || value.isEmpty()) {
      throw new StoreException(what + ": the token response has no token");
    }
    Duration lifetime = MIN_TOKEN_LIFETIME;
    JsonNode expiresIn = json.get("expires_in");
    if (expiresIn != null && expiresIn.isIntegralNumber() && expiresIn.canConvertToLong()
        && expiresIn.asLong() > lifetime.toSeconds()) {
      lifetime = Duration.ofSeconds(Math.min(expiresIn.asLong(), Duration.ofDays(1).toSeconds()));
    }
    // Renew a little early so that a token never expires in flight.
    Instant expires = clock.instant().plus(lifetime).minus(lifetime.dividedBy(10));
    tokens.put(tokenKey(registry, call.scope()), value, expires);
    return value;
  }

  private static String tokenField(JsonNode json, String name) {
    JsonNode v = json.get(name);
    return v != null && v.isString() ? v.asString() : null;
  }

  private static String tokenKey(String registry, String scope) {
    return registry + "|" + (scope == null ? "" : scope);
  }

  private static String pullScope(Reference repository) {
    return "repository:" + repository.repository() + ":pull";
  }

  private static String pushScope(Reference repository) {
    return "repository:" + repository.repository() + ":pull,push";
  }

  // ---------------------------------------------------------------- errors and addresses

  private StoreException failure(Reply r, String what, String registry) {
    String code = errorCode(r.body());
    String detail = code == null ? "" : " (" + code + errorMessage(r.body()) + ")";
    String message = switch (r.status()) {
      case 401 -> what + ": authentication to " + registry + " failed (HTTP 401" + detail
          + "); check the credentials of the store's authProvider";
      case 403 -> what + ": access denied by " + registry + " (HTTP 403" + detail + ")";
      case 404 -> what + ": not found (HTTP 404" + detail + ")";
      case 429 -> what + ": " + registry + " is throttling requests (HTTP 429) and retries ran out";
      default -> what + ": " + (registry == null ? "the server" : registry) + " answered HTTP "
          + r.status() + detail;
    };
    return new RegistryException(message, r.status(), code);
  }

  private static String errorCode(byte[] body) {
    JsonNode first = firstError(body);
    if (first == null) {
      return null;
    }
    JsonNode code = first.get("code");
    return code != null && code.isString() && ERROR_CODE.matcher(code.asString()).matches()
        ? code.asString() : null;
  }

  private static String errorMessage(byte[] body) {
    JsonNode first = firstError(body);
    JsonNode msg = first == null ? null : first.get("message");
    if (msg == null || !msg.isString()) {
      return "";
    }
    String text = msg.asString().replaceAll("[\\p{Cntrl}]", " ");
    return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
  }

  private static JsonNode firstError(byte[] body) {
    if (body == null || body.length == 0 || body[0] != '{') {
      return null;
    }
    try {
      JsonNode root = StrictJson.parseObject(body, MAX_ERROR_BODY, "error response");
      JsonNode errors = root.get("errors");
      if (errors != null && errors.isArray() && !errors.isEmpty() && errors.get(0).isObject()) {
        return errors.get(0);
      }
    } catch (JsonFormatException e) {
      return null;
    }
    return null;
  }

  private static String contentType(HttpHeaders headers) {
    return headers.firstValue("content-type")
        .map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
        .filter(v -> !v.isEmpty())
        .orElse(null);
  }

  /** Whether a connection failed because the host name does not resolve. */
  private static boolean unresolved(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.nio.channels.UnresolvedAddressException
          || c instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private URI manifestUri(Reference repository, String reference) {
    return URI.create(repoBase(repository) + "/manifests/" + reference);
  }

  private String repoBase(Reference repository) {
    return base(repository.registry()) + "/v2/" + repository.repository();
  }

  /** {@code scheme://host[:port]} of a registry; Docker Hub's API lives at registry-1. */
  String base(String registry) {
    String host = registry.equals(Reference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
    boolean plain = options.useHttp() || (options.plainHttpLoopback() && isLoopback(registry));
    return (plain ? "http://" : "https://") + host;
  }

  /** localhost, 127.0.0.0/8 and ::1, with or without a port (Ratify's plain-HTTP hosts). */
  static boolean isLoopback(String registry) {
    String host = registry;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(1, end) : host;
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        host = host.substring(0, colon);
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    return host.matches("127\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){2}");
  }

  private static URI origin(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equals(uri.getScheme()) ? 443 : 80;
    }
    return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
