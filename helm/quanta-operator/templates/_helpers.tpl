{{- define "quanta-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "quanta-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "quanta-operator.labels" -}}
{{ include "quanta-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: quanta
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "quanta-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "quanta-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "quanta-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
The permissions the operator uses on QuantizationJobs, engine Jobs, their pods and Events: the status is only
ever patched (server-side apply), Events only created. quantizationjobs/finalizers update lets the operator set
blockOwnerDeletion on the Jobs it owns where OwnerReferencesPermissionEnforcement is on (OpenShift).
quantizationjobs patch adds and removes the operator's finalizer (a deleted sharded run's work location is removed
before the resource goes).
*/}}
{{- define "quanta-operator.rules" -}}
- apiGroups: ["quanta.io"]
  resources: ["quantizationjobs"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["quanta.io"]
  resources: ["quantizationjobs/status"]
  verbs: ["patch"]
- apiGroups: ["quanta.io"]
  resources: ["quantizationjobs/finalizers"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}

{{/* A map as comma-separated key=value pairs, sorted by key (the operator's list settings). */}}
{{- define "quanta-operator.pairs" -}}
{{- $out := list -}}
{{- range $k, $v := . -}}
{{- $out = append $out (printf "%s=%s" $k (toString $v)) -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}
