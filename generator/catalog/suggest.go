package catalog

import (
	"slices"

	"github.com/authgen/authgen/internal/suggest"
)

// Suggest returns the ids of the entries nearest to name, a mistyped id or
// display name ("gihub", "Azure"), best first and at most max: the CLI's
// "did you mean" for provider names.
func Suggest(name string, max int) []string {
	var words []string
	idOf := map[string]string{}
	for _, e := range all {
		words = append(words, e.ID, e.Name)
		idOf[e.ID] = e.ID
		idOf[e.Name] = e.ID
	}
	var out []string
	for _, w := range suggest.Nearest(name, words, len(words)) {
		if id := idOf[w]; !slices.Contains(out, id) {
			out = append(out, id)
		}
		if len(out) == max {
			break
		}
	}
	return out
}
