package dev.signet.notation.truststore;

import java.security.cert.X509Certificate;
import java.util.List;

/** Named sets of trusted certificates, by store type. */
public interface TrustStore {
  /**
   * The certificates of the named store.
   *
   * @throws TrustStoreException when the store does not exist, is empty or holds invalid content
   */
  List<X509Certificate> certificates(StoreType type, String name) throws TrustStoreException;
}
