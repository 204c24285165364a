package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// pkgRedisStore is the runtime's Redis session store, a module of its own.

// redisFile emits sessions_gen.go for session.store: redis: OpenSessionStore,
// which opens package redisstore with the table prefix, and Auth.DeleteUser,
// which deletes a user's sessions in Redis before the user.
func (g *gen) redisFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	prefix := g.m.Prefix()
	ctxParam := jen.Id("ctx").Qual("context", "Context")

	doc(f.Group, fmt.Sprintf("OpenSessionStore opens the store of sessions and e-mail verification tokens on the Redis at redisURL (REDIS_URL), with keys starting with the table prefix %q, finding sessions' users in users. Redis is contacted when first used, so the application starts while it is down and recovers when it returns.", prefix))
	f.Func().Id("OpenSessionStore").Params(jen.Id("redisURL").String(), jen.Id("users").Qual(pkgStore, "Users")).Params(jen.Op("*").Qual(pkgRedisStore, "Store"), jen.Error()).Block(
		jen.Return(jen.Qual(pkgRedisStore, "Open").Call(jen.Id("redisURL"), jen.Qual(pkgRedisStore, "Options").Values(
			jen.Id("Prefix").Op(":").Lit(prefix),
			jen.Id("Users").Op(":").Id("users"),
		))),
	)
	f.Line()

	doc(f.Group, "DeleteUser deletes the user with id, their provider accounts and their sessions, which live in Redis; a missing user is store.ErrNotFound. Use it rather than Store().DeleteUser, which cannot reach Redis (the sessions it leaves behind are refused, their user being gone, and expire by themselves). The sessions go first: after a failure the user is signed out everywhere, and calling DeleteUser again finishes the job.")
	f.Func().Params(jen.Id("a").Op("*").Id("Auth")).Id("DeleteUser").Params(ctxParam, jen.Id("id").String()).Error().Block(
		jen.If(jen.Err().Op(":=").Id("a").Dot("sessions").Dot("DeleteUserSessions").Call(jen.Id("ctx"), jen.Id("id")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Err()),
		),
		jen.Return(jen.Id("a").Dot("store").Dot("DeleteUser").Call(jen.Id("ctx"), jen.Id("id"))),
	)
	return g.goFile("sessions_gen.go", f, Generated)
}
