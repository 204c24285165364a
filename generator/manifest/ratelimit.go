package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/authgen/authgen/internal/suggest"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
)

// TypeRateLimit is a rate limit: a rate such as 5/h, off (or false), or a
// mapping {rate, burst}.
const TypeRateLimit Type = "rate limit"

// RateLimit is one key of rateLimit: a token bucket (see package
// ratelimit), ratelimit.Off for none. In YAML it is a rate ("5/h"), off
// or false, or {rate: 5/h, burst: 10}.
type RateLimit ratelimit.Limit

// rateKeys are the keys of a rate limit written as a mapping.
var rateKeys = []string{"rate", "burst"}

// UnmarshalYAML reads a rate limit (checked by the schema).
func (r *RateLimit) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		if n.Value != "false" {
			return fmt.Errorf("rate limit %s: give a rate such as 5/h, or false", n.Value)
		}
		*r = RateLimit(ratelimit.Off)
		return nil
	}
	if n.Kind == yaml.MappingNode {
		var m struct {
			Rate  string `yaml:"rate"`
			Burst int    `yaml:"burst"`
		}
		if err := n.Decode(&m); err != nil {
			return fmt.Errorf("rate limit: %w", err)
		}
		l, err := ratelimit.Parse(m.Rate)
		if err != nil {
			return err
		}
		l.Burst = m.Burst
		*r = RateLimit(l)
		return nil
	}
	l, err := ratelimit.Parse(n.Value)
	if err != nil {
		return err
	}
	*r = RateLimit(l)
	return nil
}

// MarshalYAML writes off, the rate ("5/h"), or {rate, burst} when the
// burst is not the rate's.
func (r RateLimit) MarshalYAML() (any, error) {
	l := ratelimit.Limit(r)
	if l.IsOff() || l.Burst == 0 || l.Burst == l.Events {
		return l.Rate(), nil
	}
	return map[string]any{"rate": l.Rate(), "burst": l.Burst}, nil
}

// rateLimitField is the schema row of one limit the server applies: its
// default is the runtime's (server.DefaultRateLimits), so that the two
// cannot disagree.
func rateLimitField(name, example, doc string) Field {
	def := server.DefaultRateLimits()[name]
	return Field{Path: "rateLimit." + name, Type: TypeRateLimit, Default: "`" + def.String() + "`", Example: example, Doc: doc, check: checkRate}
}

// checkRate checks a rate written as text: "5/h", "10/15m", "off".
func checkRate(v string, _ checkContext) error {
	if _, err := ratelimit.Parse(v); err != nil {
		return rateError(err)
	}
	return nil
}

// rateError is a ratelimit error without its package's prefix, as the
// manifest's messages have none.
func rateError(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), ratelimit.ErrInvalid.Error()+": "))
}

// rateLimit checks the value of a rate limit key: a rate, off or false, or
// a mapping {rate, burst}.
func (c *checker) rateLimit(f Field, k, v *yaml.Node, path string) {
	switch {
	case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool":
		if v.Value != "false" {
			c.add(path, v, "%s is not a rate: give one such as %s, off (or false) to turn the limit off, or remove the key for the default (%s)", v.Value, f.Example, strings.Trim(f.Default, "`"))
		}
	case v.Kind == yaml.MappingNode:
		c.rateMapping(v, path)
	default:
		if s, ok := c.scalar(v, k, path); ok {
			if err := f.checkString(s, c.ctx); err != nil {
				c.add(path, v, "%s", err)
			}
		}
	}
}

// rateMapping checks {rate: 5/h, burst: 10}.
func (c *checker) rateMapping(v *yaml.Node, path string) {
	var rate ratelimit.Limit
	var rateNode, burstNode *yaml.Node
	burst, ok := 0, true
	for i := 0; i+1 < len(v.Content); i += 2 {
		mk, mv := resolve(v.Content[i]), resolve(v.Content[i+1])
		keyPath := path + "." + mk.Value
		switch mk.Value {
		case "rate":
			if rateNode != nil {
				c.add(keyPath, mk, "is set twice: keep one")
				ok = false
				continue
			}
			rateNode = mv
			s, isText := c.scalar(mv, mk, keyPath)
			if !isText {
				ok = false
				continue
			}
			l, err := ratelimit.Parse(s)
			switch {
			case err != nil:
				c.add(keyPath, mv, "%s", rateError(err))
				ok = false
			case l.IsOff():
				c.add(keyPath, mv, "off takes no burst: write %s: off", path[strings.LastIndexByte(path, '.')+1:])
				ok = false
			}
			rate = l
		case "burst":
			if burstNode != nil {
				c.add(keyPath, mk, "is set twice: keep one")
				ok = false
				continue
			}
			burstNode = mv
			n, err := strconv.Atoi(mv.Value)
			if mv.Kind != yaml.ScalarNode || mv.ShortTag() != "!!int" || err != nil || n < 1 || n > ratelimit.MaxEvents {
				c.add(keyPath, mv, "must be a whole number from 1 to %d: how many events may come at once", ratelimit.MaxEvents)
				ok = false
				continue
			}
			burst = n
		default:
			hint := "; the keys of a rate limit are rate and burst"
			if s := suggest.Nearest(mk.Value, rateKeys, 1); len(s) > 0 {
				hint = " (did you mean " + s[0] + "?)"
			}
			c.add(keyPath, mk, "unknown key%s", hint)
			ok = false
		}
	}
	if rateNode == nil {
		c.add(path+".rate", v, "is missing: add rate: 5/h (events per period), or write the rate alone, as in %s: 5/h", path[strings.LastIndexByte(path, '.')+1:])
		return
	}
	if !ok {
		return
	}
	rate.Burst = burst
	if err := rate.Check(); err != nil {
		c.add(path, v, "%s", rateError(err))
	}
}

// RateLimitNames are the names of the limits rateLimit sets, in the order
// of the schema.
func RateLimitNames() []string {
	var names []string
	for _, f := range fields {
		if f.parent() == "rateLimit" {
			names = append(names, f.Name())
		}
	}
	return slices.Clip(names)
}
