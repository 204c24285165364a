package generator

import "fmt"

// mongoFile emits store_gen.go for MongoDB.
func (g *gen) mongoFile() (File, error) {
	return File{}, fmt.Errorf("%w: the MongoDB store is not generated yet", ErrSpec)
}
