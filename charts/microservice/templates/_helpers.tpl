{{/*
Names. The release is the service (user-service, ...), so names default to the release name
rather than <release>-<chart>: every object, the container and app.kubernetes.io/name read
"user-service", as the federated credential, the dashboards and the alerts expect.
*/}}
{{- define "microservice.name" -}}
{{- default .Release.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "microservice.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "microservice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: never change for a release (a Deployment's selector is immutable). */}}
{{- define "microservice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "microservice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every object (Helm and Kubernetes recommended labels). */}}
{{- define "microservice.labels" -}}
helm.sh/chart: {{ include "microservice.chart" . }}
{{ include "microservice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: saas-services
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The service account: the subject of the managed identity's federated credential. */}}
{{- define "microservice.serviceAccountName" -}}
{{- default (include "microservice.fullname" .) .Values.platform.workloadIdentity.serviceAccountName -}}
{{- end -}}

{{- define "microservice.image" -}}
{{- $registry := default .Values.platform.containerRegistry .Values.image.registry -}}
{{- $ref := printf "%s/%s:%s" $registry .Values.image.repository .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- $ref = printf "%s@%s" $ref .Values.image.digest -}}
{{- end -}}
{{- $ref -}}
{{- end -}}

{{- define "microservice.externalSecretName" -}}
{{- default (include "microservice.fullname" .) .Values.externalSecret.secretName -}}
{{- end -}}

{{- define "microservice.csiSecretName" -}}
{{- default (printf "%s-csi" (include "microservice.fullname" .)) .Values.keyVaultCsi.syncSecret.name -}}
{{- end -}}

{{/* The metrics port's name: the http port unless metrics.port names another one. */}}
{{- define "microservice.metricsPortName" -}}
{{- if or (eq (int .Values.metrics.port) 0) (eq (int .Values.metrics.port) (int .Values.port)) -}}
http
{{- else -}}
metrics
{{- end -}}
{{- end -}}

{{/*
The environment the chart sets from its own values and from platform (README.md, "Platform
values"): a dict name -> value, empty platform values left out. Values of env may not reuse
these names (_validate.tpl).
*/}}
{{- define "microservice.platformEnv" -}}
{{- $p := .Values.platform -}}
{{- $env := dict "PORT" (toString .Values.port) -}}
{{- $pairs := list
  (list "ENVIRONMENT" $p.environment)
  (list "KEY_VAULT_NAME" $p.keyVault.name)
  (list "KEY_VAULT_URI" $p.keyVault.uri)
  (list "SQL_SERVER" $p.sql.host)
  (list "SQL_DATABASE" $p.sql.database)
  (list "POSTGRES_HOST" $p.postgres.host)
  (list "POSTGRES_DATABASE" $p.postgres.database)
  (list "DATA_LAKE_DFS_ENDPOINT" $p.dataLake.dfsEndpoint)
  (list "DOCUMENT_INTELLIGENCE_ENDPOINT" $p.documentIntelligence.endpoint)
  (list "AUTH_METADATA_URL" $p.auth.metadataUrl)
  (list "AUTH_ISSUER" $p.auth.issuer)
  (list "AUTH_AUDIENCE" $p.auth.audience)
  (list "AUTH_REQUIRED_SCOPES" (join "," ($p.auth.requiredScopes | default list)))
  (list "AUTH_ALLOWED_ROLES" (join "," ($p.auth.allowedRoles | default list)))
  (list "CORS_ALLOWED_ORIGINS" (join "," ($p.corsAllowedOrigins | default list)))
-}}
{{- range $pairs -}}
{{- if index . 1 -}}
{{- $_ := set $env (index . 0) (index . 1) -}}
{{- end -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* Names the chart owns in the container's environment, set or not. */}}
{{- define "microservice.reservedEnv" -}}
{{- list "PORT" "ENVIRONMENT" "KEY_VAULT_NAME" "KEY_VAULT_URI" "SQL_SERVER" "SQL_DATABASE" "POSTGRES_HOST" "POSTGRES_DATABASE" "DATA_LAKE_DFS_ENDPOINT" "DOCUMENT_INTELLIGENCE_ENDPOINT" "AUTH_METADATA_URL" "AUTH_ISSUER" "AUTH_AUDIENCE" "AUTH_REQUIRED_SCOPES" "AUTH_ALLOWED_ROLES" "CORS_ALLOWED_ORIGINS" "AZURE_CLIENT_ID" "AZURE_TENANT_ID" "AZURE_FEDERATED_TOKEN_FILE" "AZURE_AUTHORITY_HOST" | toJson -}}
{{- end -}}
