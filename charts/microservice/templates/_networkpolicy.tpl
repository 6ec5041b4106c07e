{{/*
The egress the service's pods are allowed, shared by the service's NetworkPolicy and the
migration's (migration.yaml): DNS, the private endpoints, PostgreSQL, HTTPS to Entra ID and the
internet, and networkPolicy.egress.extra. A list of NetworkPolicyEgressRule objects.
*/}}
{{- define "microservice.egressRules" -}}
{{- $np := .Values.networkPolicy }}
{{- $net := .Values.platform.network }}
{{- if $np.egress.dns }}
# CoreDNS.
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end }}
{{- if $np.egress.privateEndpoints }}
# Private endpoints of the platform's data services.
- to:
    - ipBlock:
        cidr: {{ $net.privateEndpointsCidr }}
  ports:
    {{- range $np.egress.privateEndpointPorts }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
{{- end }}
{{- if .Values.platform.postgres.host }}
# PostgreSQL Flexible Server in its delegated subnet.
- to:
    - ipBlock:
        cidr: {{ $net.postgresCidr }}
  ports:
    - protocol: TCP
      port: 5432
{{- end }}
{{- if $np.egress.internetHttps }}
# HTTPS outside the private ranges: Entra ID (token exchange), External ID (metadata, keys).
- to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10]
  ports:
    - protocol: TCP
      port: 443
{{- end }}
{{- with $np.egress.extra }}
{{ toYaml . }}
{{- end }}
{{- end -}}
