package kubeschema

import (
	"fmt"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// check makes the API server's checks that neither the OpenAPI schema nor typed decoding can
// make, for the kinds a platform ships. It is a selection of pkg/apis/*/validation of Kubernetes,
// not all of it:
//   - pod templates (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob): at least
//     one container; container names DNS labels and unique; an image for every container; image
//     pull policy, restart policy and port protocols from their enums; container ports 1-65535
//     with valid unique names; volume names unique and every volume mount naming a volume;
//   - workloads: a non-empty selector that matches the template's labels; Jobs restart
//     OnFailure or Never;
//   - Service: type from its enum; ports (unless ExternalName or headless) in range, named when
//     there are several, names unique, target ports valid;
//   - PodDisruptionBudget: not both minAvailable and maxUnavailable;
//   - ConfigMap and Secret: valid keys, none in both data and binaryData;
//   - NetworkPolicy: policy types and port protocols from their enums;
//   - HorizontalPodAutoscaler: minReplicas at least 1 and at most maxReplicas;
//   - RoleBinding, ClusterRoleBinding: roleRef to a Role or ClusterRole of the RBAC group (a
//     ClusterRoleBinding to a ClusterRole), subjects of a known kind, service accounts with a
//     namespace in ClusterRoleBindings.
func check(o runtime.Object) []finding {
	var c checker
	switch o := o.(type) {
	case *corev1.Pod:
		c.podSpec(".spec", &o.Spec, false)
	case *appsv1.Deployment:
		c.workload(o.Spec.Selector, &o.Spec.Template, false)
	case *appsv1.StatefulSet:
		c.workload(o.Spec.Selector, &o.Spec.Template, false)
	case *appsv1.DaemonSet:
		c.workload(o.Spec.Selector, &o.Spec.Template, false)
	case *appsv1.ReplicaSet:
		c.workload(o.Spec.Selector, &o.Spec.Template, false)
	case *batchv1.Job:
		c.podSpec(".spec.template.spec", &o.Spec.Template.Spec, true)
	case *batchv1.CronJob:
		c.podSpec(".spec.jobTemplate.spec.template.spec", &o.Spec.JobTemplate.Spec.Template.Spec, true)
	case *corev1.Service:
		c.service(&o.Spec)
	case *policyv1.PodDisruptionBudget:
		if o.Spec.MinAvailable != nil && o.Spec.MaxUnavailable != nil {
			c.add(".spec", "minAvailable and maxUnavailable cannot both be set")
		}
	case *corev1.ConfigMap:
		c.keys("data", o.Data, "binaryData", o.BinaryData)
	case *corev1.Secret:
		c.keys("stringData", o.StringData, "data", o.Data)
	case *networkingv1.NetworkPolicy:
		for i, t := range o.Spec.PolicyTypes {
			c.enum(fmt.Sprintf(".spec.policyTypes[%d]", i), string(t), "Ingress", "Egress")
		}
		for i, r := range o.Spec.Ingress {
			c.policyPorts(fmt.Sprintf(".spec.ingress[%d]", i), r.Ports)
		}
		for i, r := range o.Spec.Egress {
			c.policyPorts(fmt.Sprintf(".spec.egress[%d]", i), r.Ports)
		}
	case *autoscalingv2.HorizontalPodAutoscaler:
		if m := o.Spec.MinReplicas; m != nil && (*m < 1 || *m > o.Spec.MaxReplicas) {
			c.add(".spec.minReplicas", fmt.Sprintf("must be at least 1 and at most maxReplicas (%d), is %d", o.Spec.MaxReplicas, *m))
		}
	case *rbacv1.RoleBinding:
		c.roleRef(o.RoleRef, false)
		c.subjects(o.Subjects, false)
	case *rbacv1.ClusterRoleBinding:
		c.roleRef(o.RoleRef, true)
		c.subjects(o.Subjects, true)
	}
	return c.out
}

type checker struct{ out []finding }

func (c *checker) add(path, msg string) { c.out = append(c.out, finding{path, msg}) }

func (c *checker) enum(path, v string, allowed ...string) {
	if v != "" && !slices.Contains(allowed, v) {
		c.add(path, fmt.Sprintf("%q is not one of %q", v, allowed))
	}
}

func (c *checker) workload(sel *metav1.LabelSelector, t *corev1.PodTemplateSpec, job bool) {
	if sel == nil || len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		c.add(".spec.selector", "is required and must not be empty")
	} else if s, err := metav1.LabelSelectorAsSelector(sel); err != nil {
		c.add(".spec.selector", err.Error())
	} else if !s.Matches(labels.Set(t.Labels)) {
		c.add(".spec.template.metadata.labels", fmt.Sprintf("do not match the selector %s", s))
	}
	c.podSpec(".spec.template.spec", &t.Spec, job)
	if !job {
		c.enum(".spec.template.spec.restartPolicy", string(t.Spec.RestartPolicy), "Always")
	}
}

func (c *checker) podSpec(path string, s *corev1.PodSpec, job bool) {
	if len(s.Containers) == 0 {
		c.add(path+".containers", "at least one container is required")
	}
	if job {
		if s.RestartPolicy != corev1.RestartPolicyOnFailure && s.RestartPolicy != corev1.RestartPolicyNever {
			c.add(path+".restartPolicy", fmt.Sprintf("must be OnFailure or Never for a Job, is %q", s.RestartPolicy))
		}
	} else {
		c.enum(path+".restartPolicy", string(s.RestartPolicy), "Always", "OnFailure", "Never")
	}
	volumes := map[string]bool{}
	for i, v := range s.Volumes {
		p := fmt.Sprintf("%s.volumes[%d].name", path, i)
		if volumes[v.Name] {
			c.add(p, fmt.Sprintf("duplicate volume %q", v.Name))
		}
		volumes[v.Name] = true
		for _, m := range validation.IsDNS1123Label(v.Name) {
			c.add(p, m)
		}
	}
	names, ports := map[string]bool{}, map[string]bool{}
	for _, list := range []struct {
		field      string
		containers []corev1.Container
	}{{"initContainers", s.InitContainers}, {"containers", s.Containers}} {
		for i, ct := range list.containers {
			p := fmt.Sprintf("%s.%s[%d]", path, list.field, i)
			if ct.Name == "" {
				c.add(p+".name", "is required")
			}
			for _, m := range validation.IsDNS1123Label(ct.Name) {
				if ct.Name != "" {
					c.add(p+".name", m)
				}
			}
			if names[ct.Name] && ct.Name != "" {
				c.add(p+".name", fmt.Sprintf("duplicate container name %q", ct.Name))
			}
			names[ct.Name] = true
			if ct.Image == "" {
				c.add(p+".image", "is required")
			}
			c.enum(p+".imagePullPolicy", string(ct.ImagePullPolicy), "Always", "IfNotPresent", "Never")
			for j, port := range ct.Ports {
				pp := fmt.Sprintf("%s.ports[%d]", p, j)
				for _, m := range validation.IsValidPortNum(int(port.ContainerPort)) {
					c.add(pp+".containerPort", m)
				}
				c.enum(pp+".protocol", string(port.Protocol), "TCP", "UDP", "SCTP")
				if port.Name != "" {
					for _, m := range validation.IsValidPortName(port.Name) {
						c.add(pp+".name", m)
					}
					if ports[port.Name] {
						c.add(pp+".name", fmt.Sprintf("duplicate port name %q in the pod", port.Name))
					}
					ports[port.Name] = true
				}
			}
			for j, m := range ct.VolumeMounts {
				if !volumes[m.Name] {
					c.add(fmt.Sprintf("%s.volumeMounts[%d].name", p, j), fmt.Sprintf("no volume %q in the pod", m.Name))
				}
			}
		}
	}
}

func (c *checker) service(s *corev1.ServiceSpec) {
	c.enum(".spec.type", string(s.Type), "ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
	if s.Type == corev1.ServiceTypeExternalName {
		return
	}
	if len(s.Ports) == 0 && s.ClusterIP != corev1.ClusterIPNone {
		c.add(".spec.ports", "at least one port is required (unless the Service is headless or ExternalName)")
	}
	names := map[string]bool{}
	for i, p := range s.Ports {
		path := fmt.Sprintf(".spec.ports[%d]", i)
		if len(s.Ports) > 1 && p.Name == "" {
			c.add(path+".name", "is required when a Service has more than one port")
		}
		if p.Name != "" && names[p.Name] {
			c.add(path+".name", fmt.Sprintf("duplicate port name %q", p.Name))
		}
		names[p.Name] = true
		for _, m := range validation.IsValidPortNum(int(p.Port)) {
			c.add(path+".port", m)
		}
		c.enum(path+".protocol", string(p.Protocol), "TCP", "UDP", "SCTP")
		c.targetPort(path+".targetPort", p.TargetPort)
	}
}

func (c *checker) targetPort(path string, t intstr.IntOrString) {
	if t.Type == intstr.String {
		for _, m := range validation.IsValidPortName(t.StrVal) {
			c.add(path, m)
		}
	} else if t.IntVal != 0 {
		for _, m := range validation.IsValidPortNum(int(t.IntVal)) {
			c.add(path, m)
		}
	}
}

func (c *checker) policyPorts(path string, ports []networkingv1.NetworkPolicyPort) {
	for i, p := range ports {
		pp := fmt.Sprintf("%s.ports[%d]", path, i)
		if p.Protocol != nil {
			c.enum(pp+".protocol", string(*p.Protocol), "TCP", "UDP", "SCTP")
		}
		if p.Port != nil {
			c.targetPort(pp+".port", *p.Port)
		}
	}
}

func (c *checker) keys(fieldA string, a map[string]string, fieldB string, b map[string][]byte) {
	for _, k := range sortedKeys(a) {
		for _, m := range validation.IsConfigMapKey(k) {
			c.add(pathString([]string{fieldA, k}), m)
		}
		if _, both := b[k]; both && fieldA == "data" {
			c.add(pathString([]string{fieldA, k}), "the key is also in "+fieldB)
		}
	}
	for _, k := range sortedKeys(b) {
		for _, m := range validation.IsConfigMapKey(k) {
			c.add(pathString([]string{fieldB, k}), m)
		}
	}
}

func (c *checker) roleRef(r rbacv1.RoleRef, cluster bool) {
	if r.APIGroup != rbacv1.GroupName {
		c.add(".roleRef.apiGroup", fmt.Sprintf("must be %s, is %q", rbacv1.GroupName, r.APIGroup))
	}
	if cluster {
		if r.Kind != "ClusterRole" {
			c.add(".roleRef.kind", fmt.Sprintf("a ClusterRoleBinding must reference a ClusterRole, not %q", r.Kind))
		}
	} else {
		c.enum(".roleRef.kind", r.Kind, "Role", "ClusterRole")
	}
	if r.Name == "" {
		c.add(".roleRef.name", "is required")
	}
}

func (c *checker) subjects(subjects []rbacv1.Subject, cluster bool) {
	for i, s := range subjects {
		p := fmt.Sprintf(".subjects[%d]", i)
		if s.Kind != "User" && s.Kind != "Group" && s.Kind != "ServiceAccount" {
			c.add(p+".kind", fmt.Sprintf("%q is not one of User, Group, ServiceAccount", s.Kind))
		}
		if s.Name == "" {
			c.add(p+".name", "is required")
		}
		if s.Kind == "ServiceAccount" && cluster && s.Namespace == "" {
			c.add(p+".namespace", "is required for a ServiceAccount subject of a ClusterRoleBinding")
		}
		if (s.Kind == "User" || s.Kind == "Group") && s.APIGroup != rbacv1.GroupName {
			c.add(p+".apiGroup", fmt.Sprintf("must be %s for a %s, is %q", rbacv1.GroupName, s.Kind, s.APIGroup))
		}
	}
}
