{{- define "blueshift.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "blueshift.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "blueshift.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "blueshift.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "blueshift.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* One guardrail rule set as operator settings: key prefix, then the rules' values. Unset keys keep the operator's defaults. */}}
{{- define "blueshift.guardrailRules" -}}
{{- $prefix := index . 0 -}}
{{- $rules := index . 1 -}}
{{- range $key, $setting := dict "allowedManagedPolicies" "allowed-managed-policies" "deniedManagedPolicies" "denied-managed-policies" "deniedInlineActions" "denied-inline-actions" "deniedInlineActionsOnAnyResource" "denied-inline-actions-on-any-resource" }}
{{- with (get $rules $key) }}
{{ $prefix }}{{ $setting }}={{ join "," . }}
{{- end }}
{{- end }}
{{- with $rules.permissionsBoundary }}
{{ $prefix }}permissions-boundary={{ . }}
{{- end }}
{{- with $rules.rolePath }}
{{ $prefix }}role-path={{ . }}
{{- end }}
{{- if hasKey $rules "allowRoleAdoption" }}
{{ $prefix }}allow-role-adoption={{ $rules.allowRoleAdoption }}
{{- end }}
{{- end -}}

{{/* The settings file's contents. */}}
{{- define "blueshift.settings" -}}
blueshift.aws.cluster-name={{ required "aws.clusterName is required: a name for this cluster, unique among the clusters that share its AWS account (it is part of every role's and alarm's name and ownership tags)" .Values.aws.clusterName }}
{{- with .Values.aws.region }}
blueshift.aws.region={{ . }}
{{- end }}
{{- with .Values.aws.accountId }}
blueshift.aws.account-id={{ . }}
{{- end }}
{{- with .Values.aws.oidcIssuer }}
blueshift.aws.oidc-issuer={{ . }}
{{- end }}
{{- with .Values.aws.endpoint }}
blueshift.aws.endpoint={{ . }}
{{- end }}
{{- with .Values.aws.syncWait }}
blueshift.aws.sync-wait={{ . }}
{{- end }}
{{- with .Values.aws.maxConcurrentSyncs }}
blueshift.aws.max-concurrent-syncs={{ . | int }}
{{- end }}
{{- with .Values.aws.resyncInterval }}
blueshift.aws.resync-interval={{ . }}
{{- end }}
{{- with .Values.aws.alarmPollInterval }}
blueshift.aws.alarm-poll-interval={{ . }}
{{- end }}
{{- with .Values.analysis.prometheusAddress }}
blueshift.analysis.prometheus-address={{ . }}
{{- end }}
{{- with .Values.analysis.allowedPrometheusAddresses }}
blueshift.analysis.allowed-prometheus-addresses={{ join "," . }}
{{- end }}
{{- with .Values.analysis.allowedAlarmNames }}
blueshift.analysis.allowed-alarm-names={{ join "," . }}
{{- end }}
blueshift.analysis.query-timeout={{ .Values.analysis.queryTimeout }}
blueshift.analysis.max-response-bytes={{ .Values.analysis.maxResponseBytes | int64 }}
{{- include "blueshift.guardrailRules" (list "blueshift.guardrails." .Values.guardrails) }}
{{- range $name, $rules := .Values.guardrails.profiles }}
{{- include "blueshift.guardrailRules" (list (printf "blueshift.guardrails.profiles.%s." $name) $rules) }}
{{- end }}
{{- end -}}

{{/* The operator's image: repository@digest when a digest is given (it wins over the tag), else repository:tag. */}}
{{- define "blueshift.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
{{- end -}}
