//go:build !unix

package testsvc

// lockFile is a no-op where flock is unavailable; builds are then only
// serialized within one test binary.
func lockFile(path string) (unlock func(), err error) { return func() {}, nil }
