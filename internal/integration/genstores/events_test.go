package genstores_test

// goTestEvent is one line of go test -json (cmd/test2json).
type goTestEvent struct {
	Action string
	Test   string
	Output string
}
