{{/*
Pieces of the pod that every workload of a release shares: the Deployment uses them all, and a
migration Job (issue 14) is meant to reuse the security contexts, the environment, envFrom and the
volumes with its own command, so that it runs as the service's identity with the service's settings.
*/}}

{{- define "microservice.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "microservice.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Pod labels: the selector, the recommended labels and the workload identity opt-in. */}}
{{- define "microservice.podLabels" -}}
{{ include "microservice.labels" . }}
{{- if .Values.workloadIdentity.enabled }}
azure.workload.identity/use: "true"
{{- end }}
{{- with .Values.podLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The chart's own variables first (sorted), then env (sorted). */}}
{{- define "microservice.env" -}}
{{- range $name, $value := include "microservice.platformEnv" . | fromYaml }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{- define "microservice.envFrom" -}}
{{- if and .Values.externalSecret.entries .Values.externalSecret.envFrom }}
- secretRef:
    name: {{ include "microservice.externalSecretName" . }}
{{- end }}
{{- if and .Values.keyVaultCsi.enabled .Values.keyVaultCsi.syncSecret.enabled .Values.keyVaultCsi.syncSecret.envFrom }}
- secretRef:
    name: {{ include "microservice.csiSecretName" . }}
{{- end }}
{{- end -}}

{{- define "microservice.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.keyVaultCsi.enabled }}
- name: secrets-store
  mountPath: {{ .Values.keyVaultCsi.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "microservice.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmp.sizeLimit }}
{{- if .Values.keyVaultCsi.enabled }}
- name: secrets-store
  csi:
    driver: secrets-store.csi.k8s.io
    readOnly: true
    volumeAttributes:
      secretProviderClass: {{ include "microservice.fullname" . }}
{{- end }}
{{- end -}}

{{- define "microservice.probe" -}}
httpGet:
  path: {{ .probe.path }}
  port: http
periodSeconds: {{ .probe.periodSeconds | default 10 }}
timeoutSeconds: {{ .probe.timeoutSeconds | default 1 }}
failureThreshold: {{ .probe.failureThreshold | default 3 }}
{{- end -}}
