//go:build !race

package cookie_test

// raceEnabled: the race detector changes what allocates.
const raceEnabled = false
