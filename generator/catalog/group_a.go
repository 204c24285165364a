package catalog

// groupA are catalog entries, sorted by variable name.
var groupA = []*Provider{}
