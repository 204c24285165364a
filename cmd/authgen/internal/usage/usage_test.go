package usage

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{OneOf("--db", "postgress", []string{"sqlite", "postgres", "none"}), `--db "postgress" is not a choice: did you mean postgres? (choose sqlite, postgres or none)`},
		{OneOf("--db", "oracle", []string{"sqlite", "postgres", "none"}), `--db "oracle" is not a choice: choose sqlite, postgres or none`},
		{Module("--module", "github.com/x/y/"), `--module "github.com/x/y/" is not a valid module path (trailing slash): use a path such as example.com/myapp`},
		{Module("", "-x"), `"-x" is not a valid module path (leading dash): use a path such as example.com/myapp`},
		{Provider("--providers", "gihub"), `--providers "gihub": unknown provider; did you mean github? run`},
		{Provider("", "Gogle"), `unknown provider "Gogle"; did you mean google?`},
		{URL("--issuer", "http://idp.example.com"), `--issuer "http://idp.example.com": must use https`},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.HasPrefix(tt.err.Error(), tt.want) {
			t.Errorf("got %v\nwant %s…", tt.err, tt.want)
		}
		if !errors.Is(tt.err, ErrUsage) {
			t.Errorf("%v is not ErrUsage", tt.err)
		}
	}
	for _, ok := range []error{OneOf("--db", "sqlite", []string{"sqlite"}), Module("--module", "example.com/app"), Provider("--providers", "github"), URL("--issuer", "http://127.0.0.1:5556/dex")} {
		if ok != nil {
			t.Errorf("valid input refused: %v", ok)
		}
	}
	base := errors.New("base")
	if err := Errorf("wrapped: %w", base); !errors.Is(err, base) || !errors.Is(err, ErrUsage) {
		t.Errorf("Errorf loses the chain: %v", err)
	}
	if Wrap(nil) != nil || !errors.Is(Wrap(fmt.Errorf("x")), ErrUsage) {
		t.Error("Wrap")
	}
}
