package manifest_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/manifest"
)

var update = flag.Bool("update", false, "rewrite docs/MANIFEST.md")

// exampleFile is the golden case that sets every key; the reference shows
// it as the example.
const exampleFile = "../../testdata/golden/customized/authgen.yaml"

// manifestDoc renders docs/MANIFEST.md from the schema the validator uses,
// so the reference cannot drift from what authgen accepts.
func manifestDoc() (string, error) {
	example, err := os.ReadFile(exampleFile)
	if err != nil {
		return "", err
	}
	if _, err := manifest.Parse(example); err != nil {
		return "", fmt.Errorf("the example does not validate: %w", err)
	}
	var b strings.Builder
	b.WriteString("# authgen.yaml\n\n")
	b.WriteString("`authgen.yaml`, at the module root, records every choice authgen generates the project from. Edit it\n")
	b.WriteString("and run `authgen generate`; `authgen add provider` and `authgen remove provider` edit it for you,\n")
	b.WriteString("keeping your comments and layout. What it sets reaches the generated `_gen.go` files, so nothing\n")
	b.WriteString("generated ever needs editing.\n\n")
	b.WriteString("Every command checks the whole file first and changes nothing when it is wrong. Each problem is\n")
	b.WriteString("reported with its line, the key's path and the fix; an unknown key or value gets the nearest valid\n")
	b.WriteString("one:\n\n")
	b.WriteString("```\nauthgen: authgen.yaml has 2 problems:\n")
	b.WriteString("  authgen.yaml:5: databse: unknown key (did you mean database?)\n")
	b.WriteString("  authgen.yaml:11: session.maxAge: \"30\" has no unit: write a Go duration such as 720h (30 days) or 90m\n```\n\n")
	b.WriteString("Providers are checked against the catalog ([PROVIDERS.md](PROVIDERS.md)) when the project is\n")
	b.WriteString("generated, so an entry the catalog no longer has can still be removed with `authgen remove provider`.\n\n")
	b.WriteString("This file is generated from `generator/manifest`'s schema, which the validation reads too, by\n")
	b.WriteString("`go test ./generator/manifest -run TestManifestDoc -update`.\n\n")
	b.WriteString("## Example\n\nA manifest setting every key (the golden case `testdata/golden/customized`):\n\n")
	b.WriteString("```yaml\n" + string(example) + "```\n\n")
	b.WriteString("## Keys\n\n")
	b.WriteString("`providers[].name` is the `name` of each entry of `providers`. Durations are Go durations: `720h`,\n")
	b.WriteString("`90m`, `1h30m` (units `h`, `m`, `s`; no days).\n\n")
	b.WriteString("| key | type | default | meaning | example |\n|---|---|---|---|---|\n")
	for _, f := range manifest.Fields() {
		def := f.Default
		if f.Required {
			def = "required"
		}
		meaning := f.Doc
		if len(f.Values) > 0 {
			meaning += " One of " + codeList(f.Values) + "."
		}
		example := ""
		if f.Example != "" {
			example = "`" + f.Name() + ": " + f.Example + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", f.Path, f.Type, cell(def), cell(meaning), cell(example))
	}
	return b.String(), nil
}

func codeList(values []string) string {
	var out []string
	for _, v := range values {
		out = append(out, "`"+v+"`")
	}
	return strings.Join(out, ", ")
}

// cell escapes a table cell's pipes.
func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func TestManifestDoc(t *testing.T) {
	const path = "../../docs/MANIFEST.md"
	got, err := manifestDoc()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("docs/MANIFEST.md is out of date; run: go test ./generator/manifest -run TestManifestDoc -update")
	}
}

// TestManifestDocExample: the error shown in docs/MANIFEST.md is the one
// authgen prints.
func TestManifestDocExample(t *testing.T) {
	src := strings.NewReplacer("database: sqlite", "databse: sqlite", "maxAge: 720h", "maxAge: 30").Replace(full)
	_, err := manifest.Parse([]byte(src))
	want := "authgen.yaml has 2 problems:\n  authgen.yaml:5: databse: unknown key (did you mean database?)\n  authgen.yaml:11: session.maxAge: \"30\" has no unit: write a Go duration such as 720h (30 days) or 90m"
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	doc, derr := manifestDoc()
	if derr != nil || !strings.Contains(doc, "authgen: "+want+"\n") {
		t.Error("docs/MANIFEST.md does not show the message")
	}
}
