package writer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/writer"
)

const marked = generator.Marker + "\n\npackage auth\n"

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestApply(t *testing.T) {
	newGen := generator.File{Path: "auth/a_gen.go", Content: []byte(marked + "// v2\n"), Kind: generator.Generated}
	scaffold := generator.File{Path: "auth/callbacks.go", Content: []byte("package auth // new\n"), Kind: generator.Scaffold}
	tests := []struct {
		name     string
		existing map[string]string
		file     generator.File
		opts     writer.Options
		want     writer.Action
		wantErr  error
		content  string
	}{
		{"create generated", nil, newGen, writer.Options{}, writer.Created, nil, marked + "// v2\n"},
		{"update marked", map[string]string{"auth/a_gen.go": marked}, newGen, writer.Options{}, writer.Updated, nil, marked + "// v2\n"},
		{"unchanged", map[string]string{"auth/a_gen.go": marked + "// v2\n"}, newGen, writer.Options{}, writer.Unchanged, nil, marked + "// v2\n"},
		{"refuse unmarked", map[string]string{"auth/a_gen.go": "package auth // mine\n"}, newGen, writer.Options{}, writer.Replaced, writer.ErrUnmarked, "package auth // mine\n"},
		{"force unmarked", map[string]string{"auth/a_gen.go": "package auth // mine\n"}, newGen, writer.Options{Force: true}, writer.Replaced, nil, marked + "// v2\n"},
		{"marker not on first line", map[string]string{"auth/a_gen.go": "package auth\n" + generator.Marker + "\n"}, newGen, writer.Options{}, writer.Replaced, writer.ErrUnmarked, "package auth\n" + generator.Marker + "\n"},
		{"create scaffold", nil, scaffold, writer.Options{}, writer.Created, nil, "package auth // new\n"},
		{"skip scaffold", map[string]string{"auth/callbacks.go": "package auth // mine\n"}, scaffold, writer.Options{}, writer.Skipped, nil, "package auth // mine\n"},
		{"force scaffold", map[string]string{"auth/callbacks.go": "package auth // mine\n"}, scaffold, writer.Options{Force: true}, writer.Replaced, nil, "package auth // new\n"},
		{"dry run writes nothing", nil, newGen, writer.Options{DryRun: true}, writer.Created, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.existing {
				write(t, dir, name, content)
			}
			changes, err := writer.Apply(dir, []generator.File{tt.file}, tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if len(changes) != 1 || changes[0].Action != tt.want {
				t.Fatalf("changes = %+v, want one %s", changes, tt.want)
			}
			if tt.content == "" {
				if _, err := os.Stat(filepath.Join(dir, tt.file.Path)); !os.IsNotExist(err) {
					t.Fatalf("file written on dry run: %v", err)
				}
				return
			}
			if got := read(t, dir, tt.file.Path); got != tt.content {
				t.Errorf("content = %q, want %q", got, tt.content)
			}
		})
	}
}

// TestRefusalWritesNothing: one unmarked file stops every write.
func TestRefusalWritesNothing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "auth/b_gen.go", "package auth // mine\n")
	files := []generator.File{
		{Path: "auth/a_gen.go", Content: []byte(marked), Kind: generator.Generated},
		{Path: "auth/b_gen.go", Content: []byte(marked), Kind: generator.Generated},
	}
	if _, err := writer.Apply(dir, files, writer.Options{}); !errors.Is(err, writer.ErrUnmarked) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "auth/a_gen.go")); !os.IsNotExist(err) {
		t.Fatal("a_gen.go was written although b_gen.go was refused")
	}
}

func TestMerge(t *testing.T) {
	env := generator.File{Path: ".env.example", Kind: generator.Merged, Content: []byte("# origin\nAUTH_URL=http://localhost:3000\n\n# GitHub id\nAUTH_GITHUB_ID=\n")}
	ignore := generator.File{Path: ".gitignore", Kind: generator.Merged, Content: []byte("# authgen\nauthgen.keys.json\n.env\n")}
	tests := []struct {
		name, existing string
		file           generator.File
		want           string
		action         writer.Action
	}{
		{"env keeps user values and adds the missing block", "AUTH_URL=https://app.example.com\nOTHER=1", env,
			"AUTH_URL=https://app.example.com\nOTHER=1\n\n# GitHub id\nAUTH_GITHUB_ID=\n", writer.Merged},
		{"env complete", "AUTH_URL=x\nAUTH_GITHUB_ID=y\n", env, "AUTH_URL=x\nAUTH_GITHUB_ID=y\n", writer.Unchanged},
		{"gitignore adds lines", "node_modules/\n.env\n", ignore, "node_modules/\n.env\n\n# authgen\nauthgen.keys.json\n", writer.Merged},
		{"gitignore complete", "authgen.keys.json\n.env\n", ignore, "authgen.keys.json\n.env\n", writer.Unchanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.file.Path, tt.existing)
			changes, err := writer.Apply(dir, []generator.File{tt.file}, writer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if changes[0].Action != tt.action {
				t.Errorf("action = %s, want %s", changes[0].Action, tt.action)
			}
			if got := read(t, dir, tt.file.Path); got != tt.want {
				t.Errorf("merged =\n%q\nwant\n%q", got, tt.want)
			}
			again, err := writer.Apply(dir, []generator.File{tt.file}, writer.Options{})
			if err != nil || again[0].Action != writer.Unchanged {
				t.Errorf("second merge: %v %v", again, err)
			}
		})
	}
}
