package generator

import "fmt"

// customFiles emit the custom adapter's scaffold.
var _ = fmt.Sprint

func (g *gen) customFile() (File, error) {
	return File{}, fmt.Errorf("%w: the custom adapter is not generated yet", ErrSpec)
}
