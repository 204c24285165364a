package testsvc

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// osUser is a user to run a server as.
type osUser struct {
	Name     string
	Uid, Gid uint32
}

// configureCmd puts the server in its own process group (so it and its
// children can be killed together), asks the kernel to kill it if the test
// binary dies without running its cleanups (e.g. on a test timeout), and
// switches to u if given.
func configureCmd(cmd *exec.Cmd, u *osUser) error {
	attr := &syscall.SysProcAttr{
		Setpgid:   true,
		Pdeathsig: syscall.SIGKILL,
	}
	if u != nil {
		attr.Credential = &syscall.Credential{Uid: u.Uid, Gid: u.Gid, Groups: []uint32{}}
	}
	cmd.SysProcAttr = attr
	return nil
}

// The parent-death signal fires when the *thread* that forked the child
// exits, not the process. Go may retire OS threads, so every server is
// forked from one goroutine that stays locked to its thread for the life of
// the test binary.
var (
	spawnOnce sync.Once
	spawnReqs chan spawnReq
)

type spawnReq struct {
	cmd  *exec.Cmd
	errc chan error
}

func spawn(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawnReqs = make(chan spawnReq)
		go func() {
			runtime.LockOSThread() // never unlocked: this thread lives until exit
			for req := range spawnReqs {
				req.errc <- req.cmd.Start()
			}
		}()
	})
	errc := make(chan error, 1)
	spawnReqs <- spawnReq{cmd, errc}
	return <-errc
}

// killGroup kills the process group started by cmd.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Process.Kill()
}
