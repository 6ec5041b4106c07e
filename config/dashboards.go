package config

// Dashboards reports whether Grafana, Prometheus and Alertmanager are published on the Front
// Door endpoint behind Entra ID sign-in (docs/monitoring.md). They are exactly when the API origin
// has a host name (agc.originHostName, required in prod): the gateway then has an HTTPS listener
// with a certificate Front Door checks, and the dashboards' sign-in cookies and tokens never
// cross the Front Door to gateway hop in plain HTTP. Without one they are reached by
// port-forward only, and the layers create nothing for them.
func (e *Env) Dashboards() bool { return e.AGC.OriginHostName != "" }
