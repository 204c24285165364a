package session

import "time"

// DecodeFull is Decode without the remembered tokens, so that benchmarks
// measure the whole check.
func (c *Codec) DecodeFull(token string, now time.Time) (*Claims, error) {
	return c.decode(token, now)
}
