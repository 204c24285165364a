package oauth

import (
	"testing"

	"golang.org/x/oauth2"
)

func TestExpand(t *testing.T) {
	p := &Provider{ClientID: "id&1", ClientSecret: "s"}
	tok := (&oauth2.Token{AccessToken: "at/1"}).WithExtra(map[string]any{"openid": "o1", "n": 7.0, "obj": map[string]any{"a": 1}})
	for in, want := range map[string]string{
		"plain":                "plain",
		"{client_id}":          "id&1",
		"OAuth {access_token}": "OAuth at/1",
		"https://x/u?t={access_token}&o={token.openid}": "https://x/u?t=at%2F1&o=o1",
		"{token.n}-{token.missing}-{other}":             "7--{other}",
		"{token.obj}":                                   "map[a:1]",
		"{unclosed":                                     "{unclosed",
	} {
		if got := p.expand(in, tok); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
	if got := p.expand("{access_token}", nil); got != "{access_token}" {
		t.Errorf("without a token: %q", got)
	}
}
