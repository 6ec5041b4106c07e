{{/*
Pieces of the pod that every workload of a release shares: the Deployment uses them all, and the
migration Jobs (migration.yaml) reuse the security contexts, the environment and the /tmp volume
with their own command, so that they run as the service's identity with the service's settings.
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

{{/* The migration Job's name (the revert's adds -revert): under 63 characters, a Job label value. */}}
{{- define "microservice.migrationName" -}}
{{- printf "%s-migration" (include "microservice.fullname" . | trunc 46 | trimSuffix "-") -}}
{{- end -}}

{{/*
Labels of the migration pods. Not the Deployment's selector labels (app.kubernetes.io/name is
<name>-migration): the Service, the PodDisruptionBudget and the service's NetworkPolicy must not
select a migration pod.
*/}}
{{- define "microservice.migrationSelectorLabels" -}}
app.kubernetes.io/name: {{ include "microservice.migrationName" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "microservice.migrationLabels" -}}
helm.sh/chart: {{ include "microservice.chart" . }}
{{ include "microservice.migrationSelectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/component: migration
app.kubernetes.io/part-of: saas-services
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/*
A migration Job: the service's image and service account (so its workload identity), the
hardened pod of the Deployment, the platform's environment, no retry by default, a deadline and a
TTL. Called with (dict "ctx" $ "revert" bool): the revert runs revertCommand/revertArgs and is
named <name>-migration-revert. No Service, secret volume or CSI mount: on the first install the
Job runs before the release's other objects exist (see values.yaml, migration).
*/}}
{{- define "microservice.migrationJob" -}}
{{- $ := .ctx -}}
{{- $m := $.Values.migration -}}
{{- $name := include "microservice.migrationName" $ -}}
{{- $command := $m.command -}}
{{- $args := $m.args -}}
{{- if .revert -}}
{{- $name = printf "%s-revert" $name -}}
{{- $command = $m.revertCommand -}}
{{- $args = $m.revertArgs -}}
{{- end -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "microservice.migrationLabels" $ | nindent 4 }}
  {{- with .annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  # A failed migration is not retried by default: it may have half-applied, and a second run
  # should be a decision.
  backoffLimit: {{ $m.backoffLimit }}
  activeDeadlineSeconds: {{ $m.activeDeadlineSeconds }}
  ttlSecondsAfterFinished: {{ $m.ttlSecondsAfterFinished }}
  template:
    metadata:
      labels:
        {{- include "microservice.migrationLabels" $ | nindent 8 }}
        {{- if $.Values.workloadIdentity.enabled }}
        azure.workload.identity/use: "true"
        {{- end }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "microservice.serviceAccountName" $ }}
      automountServiceAccountToken: {{ $.Values.serviceAccount.automountToken }}
      enableServiceLinks: false
      securityContext:
        {{- include "microservice.podSecurityContext" $ | nindent 8 }}
      {{- with $.Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ ternary "migration-revert" "migration" (.revert | default false) }}
          image: {{ include "microservice.image" $ }}
          imagePullPolicy: {{ $.Values.image.pullPolicy }}
          command:
            {{- toYaml $command | nindent 12 }}
          {{- with $args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          env:
            {{- include "microservice.env" $ | trim | nindent 12 }}
            {{- range $k, $v := $m.env }}
            - name: {{ $k }}
              value: {{ $v | toString | quote }}
            {{- end }}
          {{- if and $m.envFrom $.Values.externalSecret.entries $.Values.externalSecret.envFrom }}
          envFrom:
            - secretRef:
                name: {{ include "microservice.externalSecretName" $ }}
          {{- end }}
          resources:
            {{- toYaml ($m.resources | default $.Values.resources) | nindent 12 }}
          securityContext:
            {{- include "microservice.containerSecurityContext" $ | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $.Values.tmp.sizeLimit }}
{{- end -}}
