package writer

import (
	"github.com/aymanbagabas/go-udiff"
)

// Diff is the change as a unified diff (git's a/ and b/ prefixes; a file
// created or removed is compared with /dev/null), or "" when it changes
// nothing.
func Diff(c Change) string {
	from, to := "a/"+c.Path, "b/"+c.Path
	switch {
	case !c.Action.Changes():
		return ""
	case c.Action == Created:
		from = "/dev/null"
	case c.Action == Removed:
		to = "/dev/null"
	}
	return udiff.Unified(from, to, string(c.Old), string(c.Content))
}
