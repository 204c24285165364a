package catalog

// all is every catalog entry.
var all = []*Provider{
	GitHub,
}
