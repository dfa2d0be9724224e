{{/* Chart name, truncated to 63 characters. */}}
{{- define "frrk8s.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name: the release name if it contains the chart name, else <release>-<chart>;
fullnameOverride wins. Truncated to 63 characters (upstream's rule).
*/}}
{{- define "frrk8s.fullname" -}}
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

{{- define "frrk8s.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "frrk8s.labels" -}}
helm.sh/chart: {{ include "frrk8s.chart" . }}
app.kubernetes.io/name: {{ include "frrk8s.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector of the agent pods; the component value is upstream's, which its tooling selects on. */}}
{{- define "frrk8s.agentSelectorLabels" -}}
app.kubernetes.io/name: {{ include "frrk8s.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: frr-k8s
{{- end }}

{{/* Selector of the webhook pod (upstream's statuscleaner component value). */}}
{{- define "frrk8s.webhookSelectorLabels" -}}
app.kubernetes.io/name: {{ include "frrk8s.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: statuscleaner
{{- end }}

{{- define "frrk8s.agentServiceAccountName" -}}
{{- if .Values.frrk8s.serviceAccount.create }}
{{- default (printf "%s-agent" (include "frrk8s.fullname" .)) .Values.frrk8s.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.frrk8s.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "frrk8s.webhookServiceAccountName" -}}
{{- if .Values.webhook.serviceAccount.create }}
{{- default (printf "%s-webhook" (include "frrk8s.fullname" .)) .Values.webhook.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.webhook.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "frrk8s.image" -}}
{{- printf "%s:%s" .Values.frrk8s.image.repository (default .Chart.AppVersion .Values.frrk8s.image.tag) }}
{{- end }}

{{- define "frrk8s.frrImage" -}}
{{- printf "%s:%s" .Values.frrk8s.frr.image.repository (toString .Values.frrk8s.frr.image.tag) }}
{{- end }}

{{/*
The names the webhook process and the ValidatingWebhookConfiguration agree on. Hard-coded, not
prefixed with the release name, as upstream (other tooling expects them).
*/}}
{{- define "frrk8s.webhookServiceName" -}}frr-k8s-webhook-service{{- end }}
{{- define "frrk8s.webhookSecretName" -}}frr-k8s-webhook-server-cert{{- end }}
{{- define "frrk8s.webhookConfigurationName" -}}frr-k8s-validating-webhook-configuration{{- end }}
