package dev.signet.kubernetes.resource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Certificates that verifiers name; deprecated by Ratify in favour of KeyManagementProvider. */
@Group(Ratify.GROUP)
@Version(Ratify.VERSION)
@AdditionalPrinterColumn(name = "IsSuccess", jsonPath = ".status.issuccess", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Error", jsonPath = ".status.brieferror", type = Type.STRING)
@AdditionalPrinterColumn(name = "LastFetchedTime", jsonPath = ".status.lastfetchedtime", type = Type.DATE)
public class CertificateStore extends CustomResource<CertificateStoreSpec, ProviderStatus> implements Namespaced {}
