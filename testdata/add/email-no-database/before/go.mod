module example.com/app

go 1.26

require (
	github.com/authgen/authgen/runtime v0.0.0-00010101000000-000000000000
	golang.org/x/oauth2 v0.37.0
)

