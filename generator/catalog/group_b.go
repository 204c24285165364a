package catalog

// groupB are catalog entries, sorted by variable name.
var groupB = []*Provider{}
