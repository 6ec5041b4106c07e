// Package pulumiproject edits the layer projects' Pulumi.yaml for a pipeline run: it points their
// Go runtime at one prebuilt binary of the program, so every stack of the run uses that binary
// instead of compiling and linking the program again.
//
// The Go language host (sdk/go/pulumi-language-go, checked at v3.260 of pulumi/pulumi, where v3.274
// is unchanged in this respect) reads the option runtime.options.binary from Pulumi.yaml, and
// nothing else: no environment variable sets it (PULUMI_GO_USE_RUN only switches to `go run`).
// It resolves the value with executable.FindExecutable: relative to the language host's working
// directory (the program's directory, here the repository root, because main is ../../), then
// $GOPATH/bin, then $PATH; an absolute path is used as is. Plugins are still found from go.mod,
// so the Go toolchain and the module cache remain needed. This package writes absolute paths.
package pulumiproject

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"
)

// SetBinary rewrites one Pulumi.yaml so its Go runtime runs binary (an absolute path), keeping
// every other key and comment. It refuses a project whose runtime is not go.
func SetBinary(project []byte, binary string) ([]byte, error) {
	if !filepath.IsAbs(binary) {
		return nil, fmt.Errorf("binary %q: want an absolute path", binary)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(project, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a Pulumi project: want a mapping")
	}
	root := doc.Content[0]
	runtime := value(root, "runtime")
	switch {
	case runtime == nil:
		return nil, errors.New("no runtime key")
	case runtime.Kind == yaml.ScalarNode:
		if runtime.Value != "go" {
			return nil, fmt.Errorf("runtime %q: want go", runtime.Value)
		}
		// runtime: go becomes runtime: {name: go, options: {binary: ...}}.
		*runtime = yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("name"), scalar("go")}, HeadComment: runtime.HeadComment, LineComment: runtime.LineComment}
	case runtime.Kind == yaml.MappingNode:
		if name := value(runtime, "name"); name == nil || name.Value != "go" {
			return nil, errors.New("runtime.name: want go")
		}
	default:
		return nil, errors.New("runtime: want go or a mapping with name go")
	}
	options := value(runtime, "options")
	if options == nil {
		options = &yaml.Node{Kind: yaml.MappingNode}
		runtime.Content = append(runtime.Content, scalar("options"), options)
	}
	if options.Kind != yaml.MappingNode {
		return nil, errors.New("runtime.options: want a mapping")
	}
	if value(options, "buildTarget") != nil {
		// The language host refuses binary together with buildTarget.
		return nil, errors.New("runtime.options.buildTarget is set: the Go runtime refuses it beside binary")
	}
	if b := value(options, "binary"); b != nil {
		b.Value, b.Tag, b.Style = binary, "!!str", 0
	} else {
		options.Content = append(options.Content, scalar("binary"), scalar(binary))
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// value returns the value node of a key in a mapping node, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Command is cmd/usebinary: it checks the binary (it must exist; it is made executable, since
// pipeline artifacts drop the mode bits) and points every project under -stacks at it.
//
//	-binary FILE  the prebuilt program (go build -o FILE .), required
//	-stacks DIR   the directory of the layer projects (default stacks)
func Command(args []string, stdout, stderr io.Writer) error {
	fs, binary, stacks := newFlagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("usebinary: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("usebinary: unexpected arguments %q", fs.Args())
	}
	if *binary == "" {
		return errors.New("usebinary: -binary is required")
	}
	abs, err := filepath.Abs(*binary)
	if err != nil {
		return err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("usebinary: -binary: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("usebinary: -binary %s: not a file", abs)
	}
	if err := os.Chmod(abs, info.Mode().Perm()|0o111); err != nil {
		return err
	}
	projects, err := filepath.Glob(filepath.Join(*stacks, "*", "Pulumi.yaml"))
	if err != nil {
		return err
	}
	if len(projects) == 0 {
		return fmt.Errorf("usebinary: no %s/*/Pulumi.yaml", *stacks)
	}
	sort.Strings(projects)
	var errs []error
	for _, p := range projects {
		in, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out, err := SetBinary(in, abs)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
			continue
		}
		if err := os.WriteFile(p, out, 0o644); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: runtime.options.binary = %s\n", p, abs)
	}
	return errors.Join(errs...)
}

func newFlagSet(stderr io.Writer) (*flag.FlagSet, *string, *string) {
	fs := flag.NewFlagSet("usebinary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	binary := fs.String("binary", "", "the prebuilt program binary (go build -o FILE .); required")
	stacks := fs.String("stacks", "stacks", "the directory holding the layer projects (<dir>/<layer>/Pulumi.yaml)")
	return fs, binary, stacks
}

// FlagSet returns the command's flags, for checks of how pipelines call it.
func FlagSet() *flag.FlagSet {
	fs, _, _ := newFlagSet(io.Discard)
	return fs
}
