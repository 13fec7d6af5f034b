package dev.signet.cache;

import dev.signet.reference.Digest;

/**
 * What a cached decision is valid for: one configuration and its trust material, one repository
 * and one subject digest. The repository is part of the key because trust policies are scoped by
 * repository: the same digest in another repository can be judged differently.
 *
 * @param fingerprint names the configuration and trust material the decision was made under: equal
 *     on every replica that loaded the same files ({@code ConfiguredExecutor#fingerprint()})
 * @param repository the subject's normalized {@code registry/repository}
 * @param digest the subject's digest (never a tag: tags move)
 */
public record ResultKey(String fingerprint, String repository, Digest digest) {
  public ResultKey {
    if (fingerprint == null || fingerprint.isEmpty()) {
      throw new IllegalArgumentException("a result key needs a configuration fingerprint");
    }
    if (repository == null || repository.isEmpty() || digest == null) {
      throw new IllegalArgumentException("a result key needs a repository and a digest");
    }
  }

  /** A stable text form, e.g. for a shared cache: {@code <fingerprint>/<repository>@<digest>}. */
  @Override
  public String toString() {
    return fingerprint + "/" + repository + "@" + digest;
  }
}
