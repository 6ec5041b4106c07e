// Package pipelines holds the project's CI/CD pipelines (Azure DevOps YAML here, GitHub Actions in
// .github/workflows) and the code its tests check them with: loaders that expand templates into
// one model of stages, jobs and steps, a small shell tokenizer, and reusable checks (layer order,
// working directory and stack of every pulumi step, environments, secrets, flags of the project's
// own commands, strict shell). Pipelines added later (services, SPA, build agents) are checked by
// adding rows to the tables in pipelines_test.go.
package pipelines

import (
	"fmt"
	"strings"
)

// Pipeline is one expanded pipeline file: Azure DevOps stages or GitHub workflow jobs (a GitHub
// workflow is one stage named after the file).
type Pipeline struct {
	File   string
	Stages []Stage
	// Parameters are the pipeline's top-level parameters with their defaults (Azure DevOps).
	Parameters map[string]string
	// Variables are the pipeline-level variables (Azure DevOps variables, GitHub env).
	Variables map[string]string
}

// Stage is an Azure DevOps stage; for GitHub the whole workflow.
type Stage struct {
	Name      string
	DependsOn []string
	Condition string
	Jobs      []Job
}

// Job is a job, an Azure DevOps deployment job, or a GitHub job (one per matrix combination).
type Job struct {
	Name        string
	DependsOn   []string
	Condition   string
	Deployment  bool   // an Azure DevOps deployment job
	Environment string // the environment it deploys to (its approvals and checks gate it)
	// Pool is where the job runs: Azure DevOps "vmImage:<image>" (Microsoft-hosted) or
	// "name:<pool>" (a self-hosted pool); GitHub the runs-on value as written (an expression stays
	// an expression).
	Pool        string
	Permissions map[string]string
	Steps       []Step
}

// Step is one step: a script (with its shell text), a task or an action.
type Step struct {
	Name             string
	Uses             string // Azure DevOps task (AzureCLI@2) or GitHub action (actions/checkout@v4)
	Script           string // the shell text: script, bash, AzureCLI inlineScript, GitHub run
	WorkingDirectory string
	Env              map[string]string
	Inputs           map[string]string // task inputs or action with
	Condition        string
}

// Steps returns every step of the pipeline with the job and stage it belongs to.
func (p *Pipeline) Steps() []Located {
	var out []Located
	for si := range p.Stages {
		for ji := range p.Stages[si].Jobs {
			for k := range p.Stages[si].Jobs[ji].Steps {
				out = append(out, Located{p, &p.Stages[si], &p.Stages[si].Jobs[ji], &p.Stages[si].Jobs[ji].Steps[k]})
			}
		}
	}
	return out
}

// Located is a step with its place in a pipeline, for messages.
type Located struct {
	Pipeline *Pipeline
	Stage    *Stage
	Job      *Job
	Step     *Step
}

func (l Located) String() string {
	name := l.Step.Name
	if name == "" {
		name = firstLine(l.Step.Script)
		if name == "" {
			name = l.Step.Uses
		}
	}
	return fmt.Sprintf("%s: stage %s, job %s, step %q", l.Pipeline.File, l.Stage.Name, l.Job.Name, name)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// Stage returns the stage of that name, or nil.
func (p *Pipeline) Stage(name string) *Stage {
	for i := range p.Stages {
		if p.Stages[i].Name == name {
			return &p.Stages[i]
		}
	}
	return nil
}

// Job returns the job of that name, or nil.
func (s *Stage) Job(name string) *Job {
	for i := range s.Jobs {
		if s.Jobs[i].Name == name {
			return &s.Jobs[i]
		}
	}
	return nil
}
