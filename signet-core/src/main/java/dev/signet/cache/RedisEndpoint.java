package dev.signet.cache;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where the shared cache lives and how to reach it: {@code redis://host:port[/db]} or, with TLS,
 * {@code rediss://host:port[/db]}, an optional user in the URL, the password in a file (never in the
 * URL, which shows in process listings), the CA certificates that sign the server's TLS certificate
 * (else the JDK's), and the timeout of one Redis command.
 *
 * @param url the server
 * @param passwordFile a file holding the password (a Kubernetes Secret), or null for none
 * @param caFile PEM CA certificates for {@code rediss://}, or null for the JDK's trust store
 * @param timeout the most one connection or command may take before the cache counts Redis as
 *     unavailable and decides locally
 */
public record RedisEndpoint(URI url, Path passwordFile, Path caFile, Duration timeout) {
  /** Longer than any decision's deadline: a Redis this slow is not worth waiting for. */
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

  /** Connections per process; more requests than this wait at most {@link #timeout} for one. */
  private static final int MAX_CONNECTIONS = 64;

  public RedisEndpoint {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(
          "the Redis URL must start with redis:// or rediss:// (TLS), found " + url.getScheme());
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("the Redis URL names no host: use redis://HOST:PORT");
    }
    if (url.getUserInfo() != null && url.getUserInfo().contains(":")) {
      throw new IllegalArgumentException(
          "the Redis URL must not carry a password (it would show in process listings and logs):"
              + " put the password in a file and name it with --redis-password-file");
    }
    if (caFile != null && !scheme.equals("rediss")) {
      throw new IllegalArgumentException("a Redis CA file needs a rediss:// (TLS) URL");
    }
    if (!timeout.isPositive() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "the Redis timeout must be more than 0 and at most " + MAX_TIMEOUT.toMillis() + " ms, found "
              + timeout.toMillis() + " ms");
    }
  }

  public boolean tls() {
    return url.getScheme().equalsIgnoreCase("rediss");
  }

  /** The URL without user information, for messages. */
  public String display() {
    return url.getScheme() + "://" + url.getHost() + ":" + port();
  }

  private int port() {
    return url.getPort() > 0 ? url.getPort() : 6379;
  }

  /**
   * A pooled client; connections are opened on first use, so a Redis that is down at start-up is
   * not an error (the cache decides locally until it answers).
   *
   * @throws IllegalArgumentException when the password or CA file cannot be read
   */
  public UnifiedJedis connect() {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientName("signet")
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .database(database());
    String user = url.getUserInfo();
    if (user != null && !user.isEmpty()) {
      config.user(user);
    }
    if (passwordFile != null) {
      config.password(password());
    }
    if (tls()) {
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      config.ssl(true).sslParameters(parameters);
      if (caFile != null) {
        config.sslSocketFactory(trusting(caFile).getSocketFactory());
      }
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(MAX_CONNECTIONS);
    pool.setMaxIdle(MAX_CONNECTIONS);
    pool.setMaxWait(timeout);
    pool.setJmxEnabled(false);
    return RedisClient.builder()
        .hostAndPort(url.getHost(), port())
        .clientConfig(config.build())
        .poolConfig(pool)
        .build();
  }

  private int database() {
    String path = url.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return 0;
    }
    try {
      return Integer.parseInt(path.substring(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the Redis URL's path must be a database number, found " + path, e);
    }
  }

  private String password() {
    try {
      if (Files.size(passwordFile) > 4096) {
        throw new IllegalArgumentException(
            "the Redis password file " + passwordFile + " is larger than 4096 bytes");
      }
      return new String(Files.readAllBytes(passwordFile), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the Redis password file " + passwordFile + ": " + e.getMessage(), e);
    }
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("the Redis CA file " + caFile + " holds no certificate");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the Redis CA file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
