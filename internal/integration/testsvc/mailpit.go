package testsvc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// MailpitServer is a Mailpit SMTP sink started by [Mailpit]. It accepts any
// SMTP AUTH credentials without TLS and stores every message; read them back
// through its JSON API (see [MailpitServer.WaitForMail]). The web UI does not
// work (its bundle is not in the module), only the API.
type MailpitServer struct {
	*Process
	// Host is always 127.0.0.1.
	Host string
	// SMTPPort is the SMTP port (plain, AUTH optional).
	SMTPPort int
	// HTTPPort is the port of the HTTP API.
	HTTPPort int
}

// Mailpit starts a Mailpit server for the test, using the mailpit binary
// from the tools module (see [ToolPath]).
func Mailpit(t testing.TB) *MailpitServer { return MailpitWith(t, MailpitOptions{}) }

// MailpitOptions configure [MailpitWith].
type MailpitOptions struct {
	// TLSCert and TLSKey are PEM files of the SMTP server's certificate:
	// with them Mailpit offers STARTTLS.
	TLSCert, TLSKey string
	// ImplicitTLS makes the SMTP port speak TLS from the first byte
	// (smtps), RequireSTARTTLS refuses mail before STARTTLS; both need
	// TLSCert.
	ImplicitTLS, RequireSTARTTLS bool
	// AuthFile is a password file ("user:password" lines): SMTP AUTH is
	// then required and checked. Without it any credentials, or none, are
	// accepted.
	AuthFile string
}

// MailpitWith starts a Mailpit server configured by opts.
func MailpitWith(t testing.TB, opts MailpitOptions) *MailpitServer {
	t.Helper()
	skipShort(t)
	bin := ToolPath(t, "mailpit")
	m := &MailpitServer{Host: "127.0.0.1"}
	dir := newDir(t, "mailpit")
	m.Process = &Process{
		Name: "mailpit",
		Dir:  dir,
		newCmd: func() *exec.Cmd {
			args := []string{
				"--listen", hostPort(m.HTTPPort),
				"--smtp", hostPort(m.SMTPPort),
				"--database", filepath.Join(dir, "mailpit.db"),
				"--disable-version-check",
			}
			if !opts.ImplicitTLS && !opts.RequireSTARTTLS {
				args = append(args, "--smtp-auth-allow-insecure")
			}
			if opts.AuthFile != "" {
				args = append(args, "--smtp-auth-file", opts.AuthFile)
			} else {
				args = append(args, "--smtp-auth-accept-any")
			}
			if opts.TLSCert != "" {
				args = append(args, "--smtp-tls-cert", opts.TLSCert, "--smtp-tls-key", opts.TLSKey)
			}
			if opts.ImplicitTLS {
				args = append(args, "--smtp-require-tls")
			}
			if opts.RequireSTARTTLS {
				args = append(args, "--smtp-require-starttls")
			}
			return exec.Command(bin, args...)
		},
		ready: m.Ping,
	}
	m.startNew(t, 2, func(p []int) { m.SMTPPort, m.HTTPPort = p[0], p[1] })
	return m
}

// SMTPAddr returns the SMTP address, "127.0.0.1:PORT".
func (m *MailpitServer) SMTPAddr() string { return hostPort(m.SMTPPort) }

// APIURL returns the API base URL, http://127.0.0.1:PORT/api/v1.
func (m *MailpitServer) APIURL() string { return "http://" + hostPort(m.HTTPPort) + "/api/v1" }

// Ping checks the API (/api/v1/info) and that the SMTP port accepts
// connections.
func (m *MailpitServer) Ping(ctx context.Context) error {
	if _, err := httpOK(ctx, m.APIURL()+"/info"); err != nil {
		return err
	}
	return tcpDial(ctx, m.SMTPAddr())
}

// Mail is a message as returned by the Mailpit API.
type Mail struct {
	ID      string
	Subject string
	From    MailAddress
	To      []MailAddress
	Text    string
	HTML    string
}

// MailAddress is a name and address.
type MailAddress struct {
	Name    string
	Address string
}

// Messages returns the IDs of all stored messages, newest first.
func (m *MailpitServer) Messages(ctx context.Context) ([]string, error) {
	return m.search(ctx, "")
}

func (m *MailpitServer) search(ctx context.Context, query string) ([]string, error) {
	u := m.APIURL() + "/messages"
	if query != "" {
		u = m.APIURL() + "/search?query=" + url.QueryEscape(query)
	}
	body, err := httpOK(ctx, u)
	if err != nil {
		return nil, err
	}
	var res struct {
		Messages []struct{ ID string } `json:"messages"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("mailpit: %w", err)
	}
	ids := make([]string, len(res.Messages))
	for i, msg := range res.Messages {
		ids[i] = msg.ID
	}
	return ids, nil
}

// Message returns the message with the given ID.
func (m *MailpitServer) Message(ctx context.Context, id string) (*Mail, error) {
	body, err := httpOK(ctx, m.APIURL()+"/message/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	var mail Mail
	if err := json.Unmarshal(body, &mail); err != nil {
		return nil, fmt.Errorf("mailpit: %w", err)
	}
	return &mail, nil
}

// WaitForMail polls until a message addressed to the given address arrives
// and returns the newest such message. It gives up when ctx is done or after
// 30 s.
func (m *MailpitServer) WaitForMail(ctx context.Context, to string) (*Mail, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		ids, err := m.search(ctx, "to:"+to)
		if err == nil && len(ids) > 0 {
			return m.Message(ctx, ids[0])
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("mailpit: no message to %s: %w", to, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// DeleteAll deletes every stored message.
func (m *MailpitServer) DeleteAll(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, m.APIURL()+"/messages", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit: DELETE /messages: %s", resp.Status)
	}
	return nil
}
