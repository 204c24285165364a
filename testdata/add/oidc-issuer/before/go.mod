module example.com/app

go 1.26.0

require (
	github.com/authgen/authgen/runtime v0.0.0-00010101000000-000000000000
	golang.org/x/oauth2 v0.37.0
)

require (
	github.com/coreos/go-oidc/v3 v3.21.0 // indirect
	github.com/dghubble/oauth1 v0.7.3 // indirect
	github.com/go-jose/go-jose/v4 v4.1.8 // indirect
)
