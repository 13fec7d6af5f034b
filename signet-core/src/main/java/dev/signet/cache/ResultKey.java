package dev.signet.cache;

import dev.signet.oci.Digest;

/**
 * What a cached decision is valid for: one configuration and trust-material generation, one
 * repository and one subject digest. The repository is part of the key because trust policies are
 * scoped by repository: the same digest in another repository can be judged differently.
 *
 * @param generation the {@code ConfiguredExecutor} generation the decision was made under
 * @param repository the subject's normalized {@code registry/repository}
 * @param digest the subject's digest (never a tag: tags move)
 */
public record ResultKey(long generation, String repository, Digest digest) {
  public ResultKey {
    if (repository == null || repository.isEmpty() || digest == null) {
      throw new IllegalArgumentException("a result key needs a repository and a digest");
    }
  }

  /** A stable text form, e.g. for a shared cache: {@code <generation>/<repository>@<digest>}. */
  @Override
  public String toString() {
    return generation + "/" + repository + "@" + digest;
  }
}
