// Package mongostore keeps authgen's users, accounts, sessions and
// verification tokens in MongoDB (or a MongoDB wire-compatible server such
// as FerretDB) with mongo-driver v2.
package mongostore
