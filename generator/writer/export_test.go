package writer

// BeginFailing is Begin with failing called before each file system step
// (op is mkdir, create, write, rename or remove); an error it returns is
// that step's.
func BeginFailing(root string, changes []Change, failing func(op, path string) error) (*Tx, error) {
	return begin(root, changes, failing)
}
