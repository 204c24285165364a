package generator

import "fmt"

// redisFile emits sessions_gen.go, the Redis session store.
func (g *gen) redisFile() (File, error) {
	return File{}, fmt.Errorf("%w: the Redis session store is not generated yet", ErrSpec)
}
