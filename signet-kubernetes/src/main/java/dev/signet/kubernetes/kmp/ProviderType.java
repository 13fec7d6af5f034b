package dev.signet.kubernetes.kmp;

import java.util.Map;

/**
 * One {@code spec.type} of KeyManagementProvider (Ratify's {@code inline}, {@code azurekeyvault}):
 * fetches the certificates and keys its parameters name. Implementations must be safe to call from
 * the controller's thread while decisions run, and must not log secrets.
 */
@FunctionalInterface
public interface ProviderType {
  /**
   * @param name the resource's name ({@code NAME} or {@code NAMESPACE/NAME}), for messages
   * @param parameters {@code spec.parameters}, as JSON values (maps, lists, strings, numbers)
   * @throws KeyManagementException saying what is wrong with the parameters or the fetch
   */
  KeyMaterial fetch(String name, Map<String, Object> parameters) throws KeyManagementException;
}
