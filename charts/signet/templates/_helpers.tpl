{{/* Names. The chart keeps Ratify's resource names where users' policies and commands use them. */}}
{{- define "signet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "signet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "signet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "signet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "signet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "signet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "signet.serviceAccountName" -}}
{{- if or .Values.azureWorkloadIdentity.clientId .Values.serviceAccount.create }}
{{- default (include "signet.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "signet.tlsSecretName" -}}
{{- printf "%s-tls" (include "signet.fullname" .) }}
{{- end }}

{{- define "signet.gatekeeperNamespace" -}}
{{- default "gatekeeper-system" .Values.gatekeeper.namespace }}
{{- end }}

{{- define "signet.providerApiVersion" -}}
{{- if semverCompare ">= 3.11.0-0" .Values.gatekeeper.version -}}
externaldata.gatekeeper.sh/v1beta1
{{- else -}}
externaldata.gatekeeper.sh/v1alpha1
{{- end }}
{{- end }}

{{- define "signet.assignApiVersion" -}}
{{- if semverCompare ">= 3.11.0-0" .Values.gatekeeper.version -}}
mutations.gatekeeper.sh/v1
{{- else -}}
mutations.gatekeeper.sh/v1beta1
{{- end }}
{{- end }}

{{- define "signet.inlineCertName" -}}
{{- printf "%s-notation-inline-cert-%d" (include "signet.fullname" .root) (int .index) }}
{{- end }}

{{/*
Values that Signet's chart accepts by name (Ratify's) but whose feature Signet does not have. Each one
fails the install with what to do instead of being ignored.
*/}}
{{- define "signet.unsupported" -}}
{{- $v := .Values -}}
{{- $rejected := list -}}
{{- if $v.cosign.enabled }}{{ $rejected = append $rejected "cosign.enabled=true: Sigstore/cosign signatures are not verified by this version of Signet; set cosign.enabled=false" }}{{ end -}}
{{- if $v.cosignKeys }}{{ $rejected = append $rejected "cosignKeys: cosign keys are not used by this version of Signet; remove them" }}{{ end -}}
{{- if $v.oras.authProviders.alibabacloudAcrBasicEnabled }}{{ $rejected = append $rejected "oras.authProviders.alibabacloudAcrBasicEnabled=true: Alibaba Cloud ACR authentication is not part of this version of Signet; use registryCredsSecret" }}{{ end -}}
{{- if and $v.provider.cache.type (ne $v.provider.cache.type "ristretto") }}{{ $rejected = append $rejected (printf "provider.cache.type=%s: Signet caches decisions in process only; remove provider.cache.type" $v.provider.cache.type) }}{{ end -}}
{{- if $v.featureFlags.RATIFY_EXPERIMENTAL_HIGH_AVAILABILITY }}{{ $rejected = append $rejected "featureFlags.RATIFY_EXPERIMENTAL_HIGH_AVAILABILITY=true: the dapr distributed cache is not supported; run several replicas (replicaCount) without it" }}{{ end -}}
{{- if $v.featureFlags.RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS }}{{ $rejected = append $rejected "featureFlags.RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS=true: Signet downloads no plugins" }}{{ end -}}
{{- if $v.policy.useRego }}{{ $rejected = append $rejected "policy.useRego=true: Signet evaluates no Rego policy provider; keep the config policy and write Rego in the Gatekeeper ConstraintTemplate" }}{{ end -}}
{{- if and $v.logger.formatter (ne $v.logger.formatter "json") }}{{ $rejected = append $rejected (printf "logger.formatter=%s: Signet writes JSON log lines only; set logger.formatter=json" $v.logger.formatter) }}{{ end -}}
{{- if ne $v.instrumentation.metricsType "prometheus" }}{{ $rejected = append $rejected "instrumentation.metricsType: only prometheus is served" }}{{ end -}}
{{- if $v.notationCert }}{{ $rejected = append $rejected "notationCert: deprecated in Ratify; use notationCerts[0]" }}{{ end -}}
{{- if $rejected }}
{{- fail (printf "\n\nSignet does not support these values:\n  - %s\nRemove or change them and install again (docs/install.md lists what the chart supports)." (join "\n  - " $rejected)) }}
{{- end }}
{{- end }}

{{/* What the admission webhooks see: pods and the workloads that template them. */}}
{{- define "signet.webhookRules" -}}
- apiGroups: [""]
  apiVersions: ["v1"]
  operations: ["CREATE", "UPDATE"]
  resources: ["pods", "pods/ephemeralcontainers"]
- apiGroups: ["apps"]
  apiVersions: ["v1"]
  operations: ["CREATE", "UPDATE"]
  resources: ["deployments", "replicasets", "statefulsets", "daemonsets"]
- apiGroups: ["batch"]
  apiVersions: ["v1"]
  operations: ["CREATE", "UPDATE"]
  resources: ["jobs", "cronjobs"]
{{- end }}

{{/* Namespaces the webhooks skip: Signet's own, kube-system and the configured ones. */}}
{{- define "signet.webhookNamespaces" -}}
matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: NotIn
    values:
      {{- toYaml (concat (list .Release.Namespace "kube-system") (.Values.admissionWebhooks.excludedNamespaces | default list) | uniq) | nindent 6 }}
{{- end }}
