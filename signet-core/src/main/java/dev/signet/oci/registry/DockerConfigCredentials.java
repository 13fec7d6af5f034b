package dev.signet.oci.registry;

// Docker CLI configuration file (config.json: auths, credsStore, credHelpers) and the
// docker-credential-helpers protocol ("get": server URL on stdin, JSON {ServerURL, Username,
// Secret} on stdout; Username "<token>" marks an identity token).

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Credentials from a Docker {@code config.json}, as Ratify's {@code dockerConfig} auth provider
 * reads them: {@code credHelpers[host]}, else {@code credsStore}, else {@code auths[host]}. Answers
 * are kept for {@link #TTL} (Ratify uses one hour) and dropped when the registry rejects them.
 */
public final class DockerConfigCredentials implements CredentialProvider {
  static final Duration TTL = Duration.ofHours(1);
  private static final int MAX_CONFIG_BYTES = 1024 * 1024;
  private static final int MAX_HELPER_OUTPUT = 64 * 1024;
  private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private final Path configFile;
  private final Path helperDir;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Credential credential, Instant until) {}

  DockerConfigCredentials(Path configFile, Path helperDir, Clock clock) {
    this.configFile = configFile;
    this.helperDir = helperDir;
    this.clock = clock;
  }

  /** Reads {@code configFile}; helpers are found on {@code PATH}. */
  public static DockerConfigCredentials of(Path configFile, Clock clock) {
    return new DockerConfigCredentials(configFile, null, clock);
  }

  /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
  public static DockerConfigCredentials fromEnvironment(Clock clock) {
    String dir = System.getenv("DOCKER_CONFIG");
    Path base = dir != null && !dir.isBlank()
        ? Path.of(dir)
        : Path.of(System.getProperty("user.home"), ".docker");
    return of(base.resolve("config.json"), clock);
  }

  @Override
  public Credential credentialFor(String registry) throws StoreException {
    String host = normalize(registry);
    Cached hit = cache.get(host);
    if (hit != null && clock.instant().isBefore(hit.until())) {
      return hit.credential();
    }
    Credential found = lookUp(host);
    cache.put(host, new Cached(found, clock.instant().plus(TTL)));
    return found;
  }

  @Override
  public void evict(String registry) {
    cache.remove(normalize(registry));
  }

  private Credential lookUp(String host) throws StoreException {
    JsonNode root = readConfig();
    if (root == null) {
      return Credential.ANONYMOUS;
    }
    String helper = null;
    JsonNode helpers = root.get("credHelpers");
    if (helpers != null && !helpers.isNull()) {
      if (!helpers.isObject()) {
        throw new StoreException(configFile + ": credHelpers must be an object");
      }
      for (Map.Entry<String, JsonNode> e : helpers.properties()) {
        if (normalize(e.getKey()).equals(host)) {
          helper = text(e.getValue(), "credHelpers." + e.getKey());
        }
      }
    }
    if (helper == null) {
      JsonNode store = root.get("credsStore");
      if (store != null && !store.isNull()) {
        helper = text(store, "credsStore");
      }
    }
    if (helper != null && !helper.isEmpty()) {
      return runHelper(helper, host);
    }
    JsonNode auths = root.get("auths");
    if (auths == null || auths.isNull()) {
      return Credential.ANONYMOUS;
    }
    return fromAuths(auths, host, configFile.toString());
  }

  /**
   * The credential of {@code host} in an {@code auths} object (a Docker config's, or a Kubernetes
   * dockerconfigjson / dockercfg Secret's); anonymous when no entry names the host.
   *
   * @param source names the file or Secret in messages
   */
  static Credential fromAuths(JsonNode auths, String host, String source) throws StoreException {
    if (!auths.isObject()) {
      throw new StoreException(source + ": auths must be an object");
    }
    for (Map.Entry<String, JsonNode> e : auths.properties()) {
      if (normalize(e.getKey()).equals(host)) {
        return fromAuthEntry(e.getKey(), e.getValue(), source);
      }
    }
    return Credential.ANONYMOUS;
  }

  private JsonNode readConfig() throws StoreException {
    byte[] bytes;
    try {
      if (Files.size(configFile) > MAX_CONFIG_BYTES) {
        throw new StoreException(configFile + " is larger than " + MAX_CONFIG_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(configFile);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StoreException("cannot read Docker config " + configFile + ": " + e.getMessage(), e);
    }
    try {
      return StrictJson.parseObject(bytes, MAX_CONFIG_BYTES, "Docker config " + configFile);
    } catch (JsonFormatException e) {
      // The parser's message names the position, never the content.
      throw new StoreException(e.getMessage(), e);
    }
  }

  private static Credential fromAuthEntry(String key, JsonNode entry, String configFile)
      throws StoreException {
    String where = "auths[\"" + key + "\"]";
    if (!entry.isObject()) {
      throw new StoreException(configFile + ": " + where + " must be an object");
    }
    String identityToken = optional(entry, "identitytoken", where);
    if (identityToken != null && !identityToken.isEmpty()) {
      return new Credential.IdentityToken(identityToken);
    }
    String auth = optional(entry, "auth", where);
    if (auth != null && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new StoreException(configFile + ": " + where + ".auth is not valid base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new StoreException(configFile + ": " + where + ".auth must encode user:password");
      }
      return new Credential.Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    String user = optional(entry, "username", where);
    String password = optional(entry, "password", where);
    if (user != null && password != null) {
      return new Credential.Basic(user, password);
    }
    return Credential.ANONYMOUS;
  }

  private Credential runHelper(String name, String host) throws StoreException {
    if (!HELPER_NAME.matcher(name).matches()) {
      throw new StoreException(configFile + ": invalid credential helper name \"" + name + "\"");
    }
    String program = "docker-credential-" + name;
    String command = helperDir == null ? program : helperDir.resolve(program).toString();
    String server = host.equals("docker.io") ? DOCKER_HUB_KEY : host;
    Process process;
    try {
      process = new ProcessBuilder(command, "get")
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new StoreException(
          "cannot run credential helper " + program + " for " + host + ": " + e.getMessage(), e);
    }
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(server.getBytes(StandardCharsets.UTF_8));
      } catch (IOException helperDidNotRead) {
        // A helper may exit without reading stdin; its exit status and output still decide.
      }
      // Read stdout on its own thread so that a helper that never closes it cannot block us.
      InputStream stdout = process.getInputStream();
      CompletableFuture<byte[]> reading = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> {
        try {
          reading.complete(readBounded(stdout));
        } catch (IOException | StoreException e) {
          reading.completeExceptionally(e);
        }
      });
      byte[] out;
      try {
        out = reading.get(HELPER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw helperTimeout(program);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StoreException se) {
          throw se;
        }
        throw new StoreException("credential helper " + program + " failed: " + e.getCause().getMessage());
      }
      if (!process.waitFor(HELPER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw helperTimeout(program);
      }
      String text = new String(out, StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        // The helper's "not found" answer is its stdout text; it carries no secret.
        if (text.toLowerCase(Locale.ROOT).contains("credentials not found")) {
          return Credential.ANONYMOUS;
        }
        throw new StoreException("credential helper " + program + " failed for " + host
            + " (exit status " + process.exitValue() + ")");
      }
      JsonNode answer;
      try {
        answer = StrictJson.parseObject(out, MAX_HELPER_OUTPUT, "answer of " + program);
      } catch (JsonFormatException e) {
        throw new StoreException("credential helper " + program + " answered with invalid JSON");
      }
      String user = optional(answer, "Username", program);
      String secret = optional(answer, "Secret", program);
      if (secret == null || secret.isEmpty()) {
        return Credential.ANONYMOUS;
      }
      if ("<token>".equals(user)) {
        return new Credential.IdentityToken(secret);
      }
      return new Credential.Basic(user == null ? "" : user, secret);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while running credential helper " + program);
    } finally {
      process.destroyForcibly();
    }
  }

  private static StoreException helperTimeout(String program) {
    return new StoreException("credential helper " + program + " did not answer within "
        + HELPER_TIMEOUT.toSeconds() + " s");
  }

  private static byte[] readBounded(InputStream in) throws IOException, StoreException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (out.size() + n > MAX_HELPER_OUTPUT) {
        throw new StoreException("credential helper answer is larger than " + MAX_HELPER_OUTPUT + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private String text(JsonNode node, String where) throws StoreException {
    if (!node.isString()) {
      throw new StoreException(configFile + ": " + where + " must be a string");
    }
    return node.asString();
  }

  private static String optional(JsonNode node, String field, String where) throws StoreException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new StoreException(where + "." + field + " must be a string");
    }
    return v.asString();
  }

  /**
   * The registry host a config key or reference names: scheme and path dropped, Docker Hub's
   * aliases folded into {@code docker.io}.
   */
  static String normalize(String key) {
    String k = key.trim();
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    k = k.toLowerCase(Locale.ROOT);
    return switch (k) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
      default -> k;
    };
  }
}
