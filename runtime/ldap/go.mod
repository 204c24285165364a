module github.com/authgen/authgen/runtime/ldap

go 1.26.0

require (
	github.com/authgen/authgen/runtime v0.0.0-00010101000000-000000000000
	github.com/go-ldap/ldap/v3 v3.4.15
)

require (
	github.com/Azure/go-ntlmssp v0.1.1 // indirect
	github.com/coreos/go-oidc/v3 v3.21.0 // indirect
	github.com/dghubble/oauth1 v0.7.3 // indirect
	github.com/go-asn1-ber/asn1-ber v1.5.8 // indirect
	github.com/go-jose/go-jose/v4 v4.1.8 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/oauth2 v0.37.0 // indirect
)

replace github.com/authgen/authgen/runtime => ..
