package dev.signet.cloud.azure;

// Ratify's KeyManagementProvider type "azurekeyvault" (ratify-reference §1.5): parameters
// vaultURI, tenantID, clientID, certificates[{name, version}], keys[{name, version}]; the chain of
// each certificate is read from the secret that backs it (application/x-pem-file or
// application/x-pkcs12); status properties {"Certificates": [{"Name", "Version", "Enabled",
// "LastRefreshed"}], "Keys": [...]}.

import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.notation.x509.CertificateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;

/**
 * The certificates and keys of one {@code azurekeyvault} key management provider, fetched at
 * {@link #refresh} and kept until the next successful refresh. A refresh that cannot reach the
 * vault, or is refused, keeps the last good material and reports the error in {@link #status()}; a
 * refresh where the vault answers that a certificate is gone or disabled drops it.
 */
public final class KeyVaultProvider {
  public static final String TYPE = "azurekeyvault";
  private static final Logger LOG = Logger.getLogger(KeyVaultProvider.class.getName());
  private static final int MAX_RSA_BYTES = 16384 / 8;
  private static final Set<String> KNOWN =
      Set.of("vaultURI", "tenantID", "clientID", "certificates", "keys", "resource");

  /** One configured object: the latest version when {@code version} is empty. */
  public record Item(String name, String version) {}

  /** The parameters of the resource. {@code scope} is derived from the vault's DNS suffix. */
  public record Parameters(
      URI vaultUri, String tenantId, String clientId, List<Item> certificates, List<Item> keys,
      String scope) {}

  /** A certificate version: its chain as stored, empty when disabled or gone. */
  public record CertificateVersion(
      String name, String version, boolean enabled, List<X509Certificate> chain, Instant lastRefreshed) {}

  /** A key version: its public key, null when disabled or gone. */
  public record KeyVersion(String name, String version, boolean enabled, PublicKey key, Instant lastRefreshed) {}

  /** Everything one successful refresh read. */
  public record Material(List<CertificateVersion> certificates, List<KeyVersion> keys, Instant fetchedAt) {
    public Material {
      certificates = List.copyOf(certificates);
      keys = List.copyOf(keys);
    }

    /** The certificates of every enabled version, in configuration order. */
    public List<X509Certificate> allCertificates() {
      List<X509Certificate> out = new ArrayList<>();
      certificates.forEach(c -> out.addAll(c.chain()));
      return out;
    }
  }

  /**
   * The resource status as Ratify reports it: success, the error (no secrets), when material was
   * last fetched, and the properties.
   */
  public record Status(
      boolean isSuccess, String error, Instant lastFetchedTime, Map<String, Object> properties) {}

  private final String name;
  private final Parameters parameters;
  private final KeyVaultClient client;
  private final Clock clock;
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile Material material;
  private volatile Status status;

  public KeyVaultProvider(String name, Parameters parameters, KeyVaultClient client, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.parameters = parameters;
    this.client = client;
    this.clock = clock;
    this.status = new Status(false, "not fetched yet", null, Map.of());
  }

  /**
   * A provider from the resource's {@code parameters}, authenticating with the workload identity
   * the pod runs as ({@code AZURE_FEDERATED_TOKEN_FILE}, {@code AZURE_AUTHORITY_HOST}) and the
   * resource's {@code clientID} / {@code tenantID}.
   *
   * @throws IllegalArgumentException naming the parameter that is missing or wrong
   */
  public static KeyVaultProvider create(
      String name, JsonNode parameters, UnaryOperator<String> env, CloudHttp http) {
    Parameters p = parameters(parameters);
    WorkloadIdentity identity;
    try {
      identity = WorkloadIdentity.fromEnvironment(env, p.clientId(), p.tenantId(), http);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TYPE + " " + name + ": " + e.getMessage());
    }
    EntraTokens tokens = new EntraTokens(identity, http.clock());
    return new KeyVaultProvider(
        name, p, new KeyVaultClient(p.vaultUri(), p.scope(), tokens, http), http.clock());
  }

  /** Reads and checks the parameters (Ratify's names; {@code resource} overrides the scope). */
  public static Parameters parameters(JsonNode params) {
    if (params == null || !params.isObject()) {
      throw new IllegalArgumentException(TYPE + ": parameters must be an object");
    }
    for (Map.Entry<String, JsonNode> e : params.properties()) {
      if (!KNOWN.contains(e.getKey())) {
        throw new IllegalArgumentException(TYPE + ": unknown parameter \"" + e.getKey()
            + "\" (known: " + String.join(", ", KNOWN.stream().sorted().toList()) + ")");
      }
    }
    String vault = required(params, "vaultURI");
    URI uri;
    try {
      uri = URI.create(vault.endsWith("/") ? vault : vault + "/");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TYPE + ": vaultURI is not a URL: " + vault);
    }
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          TYPE + ": vaultURI must be https://NAME.vault.azure.net/, found " + vault);
    }
    List<Item> certificates = items(params, "certificates");
    List<Item> keys = items(params, "keys");
    if (certificates.isEmpty() && keys.isEmpty()) {
      throw new IllegalArgumentException(
          TYPE + ": no certificates or keys configured; list at least one under certificates");
    }
    String resource = optional(params, "resource");
    String scope = resource != null
        ? (resource.endsWith("/.default") ? resource : resource.replaceAll("/+$", "") + "/.default")
        : KeyVaultClient.scopeFor(uri);
    if (scope == null) {
      throw new IllegalArgumentException(TYPE + ": cannot tell the Key Vault token scope from "
          + vault + "; set resource (e.g. https://vault.azure.net)");
    }
    return new Parameters(
        uri, required(params, "tenantID"), required(params, "clientID"), certificates, keys, scope);
  }

  private static String required(JsonNode params, String field) {
    String v = optional(params, field);
    if (v == null) {
      throw new IllegalArgumentException(TYPE + ": " + field + " is required");
    }
    return v;
  }

  private static String optional(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new IllegalArgumentException(TYPE + ": " + field + " must be a string");
    }
    return v.asString().isBlank() ? null : v.asString().trim();
  }

  private static List<Item> items(JsonNode params, String field) {
    JsonNode list = params.get(field);
    List<Item> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(TYPE + ": " + field + " must be a list of {name, version}");
    }
    for (JsonNode item : list) {
      if (!item.isObject()) {
        throw new IllegalArgumentException(TYPE + ": " + field + " must be a list of {name, version}");
      }
      for (Map.Entry<String, JsonNode> e : item.properties()) {
        if (!e.getKey().equals("name") && !e.getKey().equals("version")) {
          throw new IllegalArgumentException(
              TYPE + ": unknown parameter \"" + e.getKey() + "\" in " + field);
        }
      }
      String n = optional(item, "name");
      if (n == null) {
        throw new IllegalArgumentException(TYPE + ": every entry of " + field + " needs a name");
      }
      String v = optional(item, "version");
      out.add(new Item(n, v == null ? "" : v));
    }
    return out;
  }

  public String name() {
    return name;
  }

  public Parameters parameters() {
    return parameters;
  }

  /** The last good material; null until a refresh succeeded. */
  public Material material() {
    return material;
  }

  public Status status() {
    return status;
  }

  /** Bumped each time a refresh changes the material (a new version, a dropped certificate). */
  public long generation() {
    return generation.get();
  }

  /** Refreshes that failed and kept the previous material, for metrics. */
  public long refreshFailures() {
    return failures.get();
  }

  /**
   * Fetches every configured certificate and key. On success the material is replaced; on
   * failure the last good material stays and the status says why.
   *
   * @return true when the material changed
   */
  public boolean refresh(Deadline deadline) {
    Instant now = clock.instant();
    List<CertificateVersion> certs = new ArrayList<>();
    List<KeyVersion> keys = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      for (Item item : parameters.certificates()) {
        certs.add(certificate(item, now, problems, deadline));
      }
      for (Item item : parameters.keys()) {
        keys.add(key(item, now, problems, deadline));
      }
    } catch (CloudException | DeadlineExceededException e) {
      failures.incrementAndGet();
      Material kept = material;
      String error = e.getMessage() + (kept == null
          ? "; no certificates are trusted from this provider yet"
          : "; keeping the material fetched at " + kept.fetchedAt());
      status = new Status(false, error, kept == null ? null : kept.fetchedAt(),
          kept == null ? Map.of() : properties(kept));
      LOG.log(Level.WARNING, "key management provider {0}: {1}", new Object[] {name, error});
      return false;
    }
    Material fresh = new Material(certs, keys, now);
    boolean changed = material == null || !fingerprint(material).equals(fingerprint(fresh));
    material = fresh;
    if (changed) {
      generation.incrementAndGet();
    }
    status = new Status(problems.isEmpty(), String.join("; ", problems), now, properties(fresh));
    LOG.log(Level.INFO, "key management provider {0}: {1} certificate(s) & {2} key(s) fetched"
        + " from {3} as client {4} in tenant {5}",
        new Object[] {name, certs.size(), keys.size(), client.vault(), parameters.clientId(),
            parameters.tenantId()});
    return changed;
  }

  private CertificateVersion certificate(
      Item item, Instant now, List<String> problems, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    KeyVaultClient.Secret secret;
    try {
      secret = client.secret(item.name(), item.version(), deadline);
    } catch (KeyVaultClient.DisabledException e) {
      problems.add("certificate " + item.name() + " " + item.version() + " is disabled and not trusted");
      return new CertificateVersion(item.name(), item.version(), false, List.of(), now);
    } catch (KeyVaultClient.NotFoundException e) {
      problems.add(e.getMessage() + "; certificate " + item.name() + " is not trusted");
      return new CertificateVersion(item.name(), item.version(), false, List.of(), now);
    }
    return new CertificateVersion(
        item.name(), secret.version(), true, chain(secret), now);
  }

  /** The certificates of a certificate's backing secret, PEM or base64 PKCS#12. */
  static List<X509Certificate> chain(KeyVaultClient.Secret secret) throws CloudException {
    String what = "Key Vault certificate " + secret.name() + " version " + secret.version();
    String type = secret.contentType() == null ? "" : secret.contentType();
    try {
      if (type.equals("application/x-pem-file")) {
        return CertificateFiles.read(secret.value().getBytes(StandardCharsets.US_ASCII));
      }
      if (type.equals("application/x-pkcs12")) {
        return pkcs12(Base64.getMimeDecoder().decode(secret.value()));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new CloudException(what + ": the secret holds no valid certificate chain ("
          + e.getMessage() + ")");
    }
    throw new CloudException(what + ": the secret's content type is \"" + type
        + "\"; expected application/x-pem-file or application/x-pkcs12 (is it a certificate's secret?)");
  }

  private static List<X509Certificate> pkcs12(byte[] pfx) throws CertificateException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(pfx), new char[0]);
      Set<X509Certificate> out = new LinkedHashSet<>();
      for (String alias : Collections.list(store.aliases())) {
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain != null) {
          for (Certificate c : chain) {
            out.add((X509Certificate) c);
          }
        } else if (store.getCertificate(alias) instanceof X509Certificate c) {
          out.add(c);
        }
      }
      if (out.isEmpty()) {
        throw new CertificateException("no certificate in the PKCS#12 content");
      }
      return List.copyOf(out);
    } catch (IOException | GeneralSecurityException e) {
      throw new CertificateException("cannot read the PKCS#12 content: " + e.getMessage(), e);
    }
  }

  private KeyVersion key(Item item, Instant now, List<String> problems, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    KeyVaultClient.Key key;
    try {
      key = client.key(item.name(), item.version(), deadline);
    } catch (KeyVaultClient.DisabledException | KeyVaultClient.NotFoundException e) {
      problems.add(e.getMessage() + "; key " + item.name() + " is not trusted");
      return new KeyVersion(item.name(), item.version(), false, null, now);
    }
    return new KeyVersion(item.name(), key.version(), true, publicKey(key), now);
  }

  /**
   * The public key of an RSA or EC JSON Web Key (RFC 7518 section 6), checked: RSA moduli of 2048
   * to 16384 bits with an odd exponent, EC points of P-256, P-384 or P-521 with coordinates of the
   * curve's size that lie on the curve.
   */
  static PublicKey publicKey(KeyVaultClient.Key key) throws CloudException {
    JsonNode jwk = key.jwk();
    String kty = text(jwk, "kty");
    String what = "Key Vault key " + key.name() + " version " + key.version();
    try {
      if (kty.equals("RSA") || kty.equals("RSA-HSM")) {
        BigInteger n = unsigned(jwk, "n", MAX_RSA_BYTES);
        BigInteger e = unsigned(jwk, "e", 8);
        if (n.bitLength() < 2048 || n.bitLength() > 8 * MAX_RSA_BYTES || !e.testBit(0)
            || e.compareTo(BigInteger.ONE) <= 0) {
          throw new CloudException(what + ": an RSA key of " + n.bitLength() + " bits with"
              + " exponent " + e + " is not trusted; use an RSA key of 2048 to 16384 bits");
        }
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
      }
      if (kty.equals("EC") || kty.equals("EC-HSM")) {
        String crv = text(jwk, "crv");
        String curve = switch (crv) {
          case "P-256" -> "secp256r1";
          case "P-384" -> "secp384r1";
          case "P-521" -> "secp521r1";
          default -> throw new CloudException(what + ": curve \"" + crv
              + "\" is not supported; use P-256, P-384 or P-521");
        };
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
        ap.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
        int size = (spec.getCurve().getField().getFieldSize() + 7) / 8;
        ECPoint point = new ECPoint(coordinate(jwk, "x", size), coordinate(jwk, "y", size));
        if (!onCurve(point, spec)) {
          throw new CloudException(what + ": the EC point is not on curve " + crv);
        }
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CloudException(what + ": invalid JSON Web Key (" + e.getMessage() + ")");
    }
    throw new CloudException(what + ": key type \"" + kty
        + "\" is not supported; use an EC (P-256, P-384, P-521) or RSA key");
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isString() ? v.asString() : "";
  }

  /** A base64url big-endian unsigned integer of at most {@code maxBytes} bytes. */
  private static BigInteger unsigned(JsonNode jwk, String field, int maxBytes) {
    String text = text(jwk, field);
    if (text.isEmpty() || text.length() > (maxBytes * 4 + 2) / 3) {
      throw new IllegalArgumentException(field + " is missing or longer than " + maxBytes + " bytes");
    }
    return new BigInteger(1, Base64.getUrlDecoder().decode(text));
  }

  /** An EC coordinate: exactly the curve's size in bytes (RFC 7518 section 6.2.1.2). */
  private static BigInteger coordinate(JsonNode jwk, String field, int size) {
    byte[] bytes = Base64.getUrlDecoder().decode(text(jwk, field));
    if (bytes.length != size) {
      throw new IllegalArgumentException(field + " has " + bytes.length + " bytes, not " + size);
    }
    return new BigInteger(1, bytes);
  }

  /** Whether y^2 = x^3 + ax + b (mod p), with both coordinates below p. */
  private static boolean onCurve(ECPoint point, ECParameterSpec spec) {
    BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger right = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
    return y.modPow(BigInteger.TWO, p).equals(right);
  }

  private static Map<String, Object> properties(Material m) {
    List<Map<String, Object>> certs = new ArrayList<>();
    for (CertificateVersion c : m.certificates()) {
      certs.add(entry(c.name(), c.version(), c.enabled(), c.lastRefreshed()));
    }
    List<Map<String, Object>> keys = new ArrayList<>();
    for (KeyVersion k : m.keys()) {
      keys.add(entry(k.name(), k.version(), k.enabled(), k.lastRefreshed()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Certificates", certs);
    out.put("Keys", keys);
    return out;
  }

  private static Map<String, Object> entry(String name, String version, boolean enabled, Instant at) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("Name", name);
    e.put("Version", version);
    e.put("Enabled", enabled);
    e.put("LastRefreshed", at.toString());
    return e;
  }

  private static List<Object> fingerprint(Material m) {
    List<Object> out = new ArrayList<>();
    for (CertificateVersion c : m.certificates()) {
      out.add(c.name() + "/" + c.version() + "/" + c.enabled());
      out.addAll(c.chain());
    }
    for (KeyVersion k : m.keys()) {
      out.add(k.name() + "/" + k.version() + "/" + k.enabled());
      out.add(k.key());
    }
    return out;
  }
}
