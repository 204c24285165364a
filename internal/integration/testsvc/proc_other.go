//go:build !linux

package testsvc

import (
	"errors"
	"os/exec"
)

// osUser is a user to run a server as (supported on Linux only).
type osUser struct {
	Name     string
	Uid, Gid uint32
}

func configureCmd(cmd *exec.Cmd, u *osUser) error {
	if u != nil {
		return errors.New("testsvc: running a server as another user is supported on Linux only")
	}
	return nil
}

func spawn(cmd *exec.Cmd) error { return cmd.Start() }

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
