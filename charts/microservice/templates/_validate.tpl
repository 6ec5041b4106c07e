{{/*
Cross-field rules JSON Schema cannot express (values.schema.json holds every other rule). Every
problem is reported at once, each naming its values. Included by deployment.yaml, so no release
renders without passing them.
*/}}
{{- define "microservice.validate" -}}
{{- $v := .Values -}}
{{- $errs := list -}}

{{- $a := $v.autoscaling -}}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- $errs = append $errs (printf "autoscaling.minReplicas (%d) is greater than autoscaling.maxReplicas (%d)" (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- end -}}

{{- $pdb := $v.podDisruptionBudget -}}
{{- if and $pdb.enabled (include "microservice.isInt" $pdb.minAvailable) -}}
{{- $replicas := ternary (int $a.minReplicas) (int $v.replicaCount) $a.enabled -}}
{{- $from := ternary "autoscaling.minReplicas" "replicaCount" $a.enabled -}}
{{- if ge (int $pdb.minAvailable) $replicas -}}
{{- $errs = append $errs (printf "podDisruptionBudget.minAvailable (%d) is not below %s (%d): no pod could ever be evicted, so every node drain and cluster upgrade would stall" (int $pdb.minAvailable) $from $replicas) -}}
{{- end -}}
{{- end -}}
{{- if and $pdb.enabled (include "microservice.isInt" $pdb.maxUnavailable) (eq (int $pdb.maxUnavailable) 0) -}}
{{- $errs = append $errs "podDisruptionBudget.maxUnavailable is 0: no pod could ever be evicted, so every node drain and cluster upgrade would stall" -}}
{{- end -}}

{{- $s := $v.shutdown -}}
{{- if le (int $s.terminationGracePeriodSeconds) (int $s.preStopSleepSeconds) -}}
{{- $errs = append $errs (printf "shutdown.terminationGracePeriodSeconds (%d) must be greater than shutdown.preStopSleepSeconds (%d): the kubelet kills the container when the grace period ends, so the service would never get SIGTERM to drain" (int $s.terminationGracePeriodSeconds) (int $s.preStopSleepSeconds)) -}}
{{- end -}}

{{- $reserved := include "microservice.reservedEnv" . | fromJsonArray -}}
{{- range $name, $_ := $v.env -}}
{{- if has $name $reserved -}}
{{- $errs = append $errs (printf "env.%s: the chart sets %s itself (from port, platform or the workload identity webhook); remove it from env" $name $name) -}}
{{- end -}}
{{- end -}}

{{- range $name, $_ := $v.migration.env -}}
{{- if or (has $name $reserved) (hasKey $v.env $name) -}}
{{- $errs = append $errs (printf "migration.env.%s: the migration already gets %s from env or the chart; set it in one place" $name $name) -}}
{{- end -}}
{{- end -}}

{{- if and (ne (int $v.metrics.port) 0) (ne (int $v.metrics.port) (int $v.port)) (eq (int $v.metrics.port) (int $v.service.port)) -}}
{{- $errs = append $errs (printf "metrics.port (%d) equals service.port: the Service cannot expose two ports with the same number" (int $v.metrics.port)) -}}
{{- end -}}

{{- if and $v.keyVaultCsi.enabled $v.keyVaultCsi.syncSecret.enabled $v.externalSecret.entries (eq (include "microservice.csiSecretName" .) (include "microservice.externalSecretName" .)) -}}
{{- $errs = append $errs (printf "keyVaultCsi.syncSecret.name and externalSecret.secretName are both %q: two controllers would write the same Secret" (include "microservice.csiSecretName" .)) -}}
{{- end -}}

{{- if and $v.keyVaultCsi.syncSecret.enabled (not $v.keyVaultCsi.enabled) -}}
{{- $errs = append $errs "keyVaultCsi.syncSecret.enabled needs keyVaultCsi.enabled: the driver writes the Secret only while it mounts the volume" -}}
{{- end -}}

{{- if $errs -}}
{{- fail (printf "\nmicroservice chart, release %s: %d problem(s) in the values:\n  - %s" .Release.Name (len $errs) (join "\n  - " $errs)) -}}
{{- end -}}
{{- end -}}

{{/* "true" when the value is a number (YAML values arrive as float64, Go callers may pass int). */}}
{{- define "microservice.isInt" -}}
{{- if or (kindIs "float64" .) (kindIs "int" .) (kindIs "int64" .) -}}true{{- end -}}
{{- end -}}
