package dev.signet.kubernetes.resource.v1alpha1;

import dev.signet.kubernetes.resource.PolicySpec;
import dev.signet.kubernetes.resource.Ratify;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** {@code Policy} at the deprecated version {@code v1alpha1}. */
@Group(Ratify.GROUP)
@Version(
    value = "v1alpha1",
    storage = false,
    deprecated = true,
    deprecationWarning = "v1alpha1 of the Policy API has been deprecated. Please migrate to v1beta1.")
public class Policy extends CustomResource<PolicySpec, Void> {}
