package dev.signet.kubernetes.kmp;

import java.util.Map;

/**
 * One {@code spec.type} of KeyManagementProvider (Ratify's {@code inline}, {@code azurekeyvault}):
 * opens the source of the certificates and keys its parameters name. Sources must be safe to use
 * from the controller's thread while decisions run, and must not log secrets.
 */
@FunctionalInterface
public interface ProviderType {
  /**
   * Called when a resource appears or its spec changes.
   *
   * @param name the resource's name ({@code NAME} or {@code NAMESPACE/NAME}), for messages
   * @param parameters {@code spec.parameters}, as JSON values (maps, lists, strings, numbers)
   * @throws KeyManagementException saying what is wrong with the parameters
   */
  KeySource open(String name, Map<String, Object> parameters) throws KeyManagementException;
}
