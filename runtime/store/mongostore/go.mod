module github.com/authgen/authgen/runtime/store/mongostore

go 1.26.0

require (
	github.com/authgen/authgen/runtime v0.0.0-00010101000000-000000000000
	go.mongodb.org/mongo-driver/v2 v2.9.3
)

replace github.com/authgen/authgen/runtime => ../..
