package catalog

// groupC are catalog entries, sorted by variable name.
var groupC = []*Provider{}
