package generator

import "github.com/dave/jennifer/jen"

// pkgMongoStore is the runtime's MongoDB store, a module of its own so that
// mongo-driver is a dependency of MongoDB projects only.

// mongoFile emits store_gen.go for MongoDB: the table prefix, OpenStore,
// which opens package mongostore with it, and Migrate. The store is the
// runtime's (see docs/ARCHITECTURE.md, "MongoDB").
func (g *gen) mongoFile() (File, error) {
	f := newFile(g.pkgPath, g.m.Package, true)
	storeT := jen.Op("*").Qual(pkgMongoStore, "Store")

	f.Comment("TablePrefix starts the names of authgen's collections.")
	f.Const().Id("TablePrefix").Op("=").Lit(g.m.Prefix())
	f.Line()

	doc(f.Group, "OpenStore returns the store on the MongoDB database at databaseURL (DATABASE_URL: mongodb://host:port/database or mongodb+srv://…; without a database in the path, authgen), in collections named with TablePrefix. The server is contacted when first used, so an application starts while it is down and recovers when it returns.")
	f.Func().Id("OpenStore").Params(jen.Id("databaseURL").String()).Params(storeT, jen.Error()).Block(
		jen.Return(jen.Qual(pkgMongoStore, "Open").Call(jen.Id("databaseURL"), jen.Qual(pkgMongoStore, "Options").Values(
			jen.Id("Prefix").Op(":").Id("TablePrefix"),
		))),
	)
	f.Line()

	doc(f.Group, "Migrate applies the schema steps the store's database lacks — its collections and indexes, then each later change of what is stored — recording them in the "+g.m.Prefix()+"migrations collection (see mongostore.Store.Status). A step changes only what is not done yet, so Migrate is safe at every start and from several instances at once.")
	f.Func().Id("Migrate").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("st").Add(storeT)).Error().Block(
		jen.Return(jen.Id("st").Dot("Migrate").Call(jen.Id("ctx"))),
	)
	return g.goFile("store_gen.go", f, Generated)
}
