package generator_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/catalog"
)

// providersDoc renders docs/PROVIDERS.md from the catalog, so the list
// never drifts from the code.
func providersDoc() string {
	var b strings.Builder
	entries := catalog.All()
	fmt.Fprintf(&b, "# Providers\n\n")
	fmt.Fprintf(&b, "authgen's catalog has %d providers. Add one with `authgen add provider ID`; list them with\n", len(entries))
	b.WriteString("`authgen providers [FILTER]`. Each needs `AUTH_<ID>_ID` and `AUTH_<ID>_SECRET` (`<ID>` upper-cased,\n")
	b.WriteString("`-` → `_`) unless noted; every endpoint can be overridden with `AUTH_<ID>_AUTHORIZATION_URL`,\n")
	b.WriteString("`_TOKEN_URL`, `_USERINFO_URL`, and an OpenID Connect issuer with `AUTH_<ID>_ISSUER`.\n\n")
	b.WriteString("This file is generated from `generator/catalog` by `go test ./generator -run TestProvidersDoc -update`.\n\n")
	b.WriteString("| id | name | protocol | needs | documentation |\n|---|---|---|---|---|\n")
	for _, e := range entries {
		var needs []string
		switch {
		case e.Type == catalog.OIDC && e.Issuer == "":
			needs = append(needs, "`_ISSUER` ("+strings.ReplaceAll(e.IssuerExample, "|", "\\|")+")")
		case e.NeedsEndpoints:
			needs = append(needs, "endpoint URLs")
		}
		switch e.AuthMethod {
		case catalog.AppleSecret:
			needs = append(needs, "`_TEAM_ID`, `_KEY_ID`, `_PRIVATE_KEY` (no secret)")
		case catalog.PrivateKeyJWT:
			needs = append(needs, "`_PRIVATE_KEY` (no secret)")
		}
		if e.NeedsAPIKey {
			needs = append(needs, "`_API_KEY`")
		}
		switch {
		case e.BaseURL != nil && e.BaseURL.Required:
			needs = append(needs, "`_BASE_URL` ("+e.BaseURL.What+")")
		case e.BaseURL != nil:
			needs = append(needs, "optional `_BASE_URL` ("+e.BaseURL.What+")")
		}
		proto := map[catalog.Type]string{catalog.OAuth2: "OAuth 2.0", catalog.OIDC: "OpenID Connect", catalog.OAuth1: "OAuth 1.0a"}[e.Type]
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | [docs](%s) |\n", e.ID, e.Name, proto, strings.Join(needs, "; "), e.Docs)
	}
	return b.String()
}

func TestProvidersDoc(t *testing.T) {
	const path = "../docs/PROVIDERS.md"
	got := providersDoc()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("docs/PROVIDERS.md is out of date; run: go test ./generator -run TestProvidersDoc -update")
	}
}
