package dev.signet.kubernetes.resource.v1alpha1;

import dev.signet.kubernetes.resource.CertificateStoreSpec;
import dev.signet.kubernetes.resource.Ratify;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** {@code CertificateStore} at the deprecated version {@code v1alpha1}. */
@Group(Ratify.GROUP)
@Version(
    value = "v1alpha1",
    storage = false,
    deprecated = true,
    deprecationWarning = "v1alpha1 of the CertificateStore API has been deprecated. Please migrate to v1beta1.")
public class CertificateStore extends CustomResource<CertificateStoreSpec, Object> implements Namespaced {}
