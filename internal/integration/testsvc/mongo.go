package testsvc

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// MongoServer is a MongoDB wire-protocol server started by [Mongo]:
// FerretDB v1 embedded in the ferretdb-embed tool, with its SQLite backend,
// no authentication. FerretDB v1 has no multi-document transactions.
type MongoServer struct {
	*Process
	// Host is always 127.0.0.1.
	Host string
	// Port is the TCP port the server listens on.
	Port int
}

// Mongo starts a MongoDB-compatible server for the test, using the
// ferretdb-embed binary from the tools module (see [ToolPath]).
func Mongo(t testing.TB) *MongoServer {
	t.Helper()
	skipShort(t)
	bin := ToolPath(t, "ferretdb-embed")
	m := &MongoServer{Host: "127.0.0.1"}
	dir := newDir(t, "mongo")
	m.Process = &Process{
		Name: "ferretdb",
		Dir:  dir,
		newCmd: func() *exec.Cmd {
			return exec.Command(bin, "-listen-addr", m.Addr(), "-sqlite-dir", filepath.Join(dir, "data"))
		},
		ready: m.Ping,
	}
	m.startNew(t, 1, func(p []int) { m.Port = p[0] })
	return m
}

// Addr returns "127.0.0.1:PORT".
func (m *MongoServer) Addr() string { return hostPort(m.Port) }

// URL returns mongodb://127.0.0.1:PORT/.
func (m *MongoServer) URL() string { return "mongodb://" + m.Addr() + "/" }

// Ping runs the hello command over the wire protocol.
func (m *MongoServer) Ping(ctx context.Context) error {
	_, err := mongoCommand(ctx, m.Addr(), "admin", bsonDoc{{"hello", int32(1)}})
	return err
}

// The rest of this file is a minimal MongoDB OP_MSG client, enough for a
// readiness check and a smoke test without importing a driver.

// bsonDoc is an ordered BSON document. Values may be string, int32, int64,
// int, float64, bool, nil, bsonDoc or []any.
type bsonDoc []bsonElem

type bsonElem struct {
	Key   string
	Value any
}

// Get returns the value of key, or nil.
func (d bsonDoc) Get(key string) any {
	for _, e := range d {
		if e.Key == key {
			return e.Value
		}
	}
	return nil
}

func appendCString(b []byte, s string) []byte { return append(append(b, s...), 0) }

func appendBSON(b []byte, d bsonDoc) ([]byte, error) {
	start := len(b)
	b = append(b, 0, 0, 0, 0)
	for _, e := range d {
		var err error
		if b, err = appendBSONValue(b, e.Key, e.Value); err != nil {
			return nil, err
		}
	}
	b = append(b, 0)
	binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start))
	return b, nil
}

func appendBSONValue(b []byte, key string, v any) ([]byte, error) {
	switch v := v.(type) {
	case float64:
		b = appendCString(append(b, 0x01), key)
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)), nil
	case string:
		b = appendCString(append(b, 0x02), key)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(v)+1))
		return appendCString(b, v), nil
	case bsonDoc:
		return appendBSON(appendCString(append(b, 0x03), key), v)
	case []any:
		arr := make(bsonDoc, len(v))
		for i, x := range v {
			arr[i] = bsonElem{fmt.Sprint(i), x}
		}
		return appendBSON(appendCString(append(b, 0x04), key), arr)
	case bool:
		b = appendCString(append(b, 0x08), key)
		if v {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case nil:
		return appendCString(append(b, 0x0A), key), nil
	case int32:
		b = appendCString(append(b, 0x10), key)
		return binary.LittleEndian.AppendUint32(b, uint32(v)), nil
	case int:
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return appendBSONValue(b, key, int32(v))
		}
		return appendBSONValue(b, key, int64(v))
	case int64:
		b = appendCString(append(b, 0x12), key)
		return binary.LittleEndian.AppendUint64(b, uint64(v)), nil
	}
	return nil, fmt.Errorf("bson: unsupported type %T for %q", v, key)
}

type bsonReader struct {
	b   []byte
	err error
}

func (r *bsonReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = errors.New("bson: truncated")
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *bsonReader) cstring() string {
	i := bytes.IndexByte(r.b, 0)
	if i < 0 {
		r.err = errors.New("bson: unterminated cstring")
		return ""
	}
	s := string(r.take(i))
	r.take(1)
	return s
}

func (r *bsonReader) u32() uint32 {
	p := r.take(4)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(p)
}

func (r *bsonReader) u64() uint64 {
	p := r.take(8)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(p)
}

func parseBSON(b []byte) (bsonDoc, error) {
	if len(b) < 5 {
		return nil, errors.New("bson: short document")
	}
	n := int(binary.LittleEndian.Uint32(b))
	if n < 5 || n > len(b) {
		return nil, errors.New("bson: bad document length")
	}
	r := &bsonReader{b: b[4 : n-1]}
	var d bsonDoc
	for len(r.b) > 0 && r.err == nil {
		typ := r.take(1)[0]
		key := r.cstring()
		var v any
		switch typ {
		case 0x01:
			v = math.Float64frombits(r.u64())
		case 0x02:
			l := int(r.u32())
			s := r.take(l)
			if len(s) > 0 {
				v = string(s[:len(s)-1])
			}
		case 0x03, 0x04:
			if len(r.b) < 4 {
				r.err = errors.New("bson: truncated")
				break
			}
			l := int(binary.LittleEndian.Uint32(r.b))
			sub, err := parseBSON(r.take(l))
			if err != nil {
				return nil, err
			}
			if typ == 0x03 {
				v = sub
			} else {
				arr := make([]any, len(sub))
				for i, e := range sub {
					arr[i] = e.Value
				}
				v = arr
			}
		case 0x05:
			l := int(r.u32())
			r.take(1) // subtype
			v = r.take(l)
		case 0x07:
			v = r.take(12)
		case 0x08:
			p := r.take(1)
			v = len(p) == 1 && p[0] != 0
		case 0x09:
			v = time.UnixMilli(int64(r.u64())).UTC()
		case 0x0A, 0x06, 0xFF, 0x7F:
			v = nil
		case 0x0B:
			v = r.cstring() + "/" + r.cstring()
		case 0x10:
			v = int32(r.u32())
		case 0x11:
			v = r.u64()
		case 0x12:
			v = int64(r.u64())
		case 0x13:
			v = r.take(16)
		default:
			return nil, fmt.Errorf("bson: unsupported element type 0x%02x for %q", typ, key)
		}
		d = append(d, bsonElem{key, v})
	}
	return d, r.err
}

var mongoRequestID atomic.Int32

// mongoCommand runs one command against database db using OP_MSG and
// returns the reply; a reply with ok != 1 is an error.
func mongoCommand(ctx context.Context, addr, db string, cmd bsonDoc) (bsonDoc, error) {
	cmd = append(cmd[:len(cmd):len(cmd)], bsonElem{"$db", db})
	body, err := appendBSON(nil, cmd)
	if err != nil {
		return nil, err
	}
	const opMsg = 2013
	msg := make([]byte, 16, 16+5+len(body))
	msg = binary.LittleEndian.AppendUint32(msg, 0) // flagBits
	msg = append(msg, 0)                           // section kind 0: body
	msg = append(msg, body...)
	binary.LittleEndian.PutUint32(msg[0:], uint32(len(msg)))
	binary.LittleEndian.PutUint32(msg[4:], uint32(mongoRequestID.Add(1)))
	binary.LittleEndian.PutUint32(msg[12:], opMsg)

	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if _, err := c.Write(msg); err != nil {
		return nil, err
	}
	var hdr [16]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return nil, fmt.Errorf("mongo: read reply: %w", err)
	}
	n := int(binary.LittleEndian.Uint32(hdr[0:]))
	if op := binary.LittleEndian.Uint32(hdr[12:]); op != opMsg {
		return nil, fmt.Errorf("mongo: unexpected reply opcode %d", op)
	}
	if n < 16+5 || n > 48<<20 {
		return nil, fmt.Errorf("mongo: bad reply length %d", n)
	}
	rest := make([]byte, n-16)
	if _, err := io.ReadFull(c, rest); err != nil {
		return nil, fmt.Errorf("mongo: read reply: %w", err)
	}
	if rest[4] != 0 {
		return nil, fmt.Errorf("mongo: unexpected reply section kind %d", rest[4])
	}
	reply, err := parseBSON(rest[5:])
	if err != nil {
		return nil, err
	}
	ok := false
	switch v := reply.Get("ok").(type) {
	case float64:
		ok = v == 1
	case int32:
		ok = v == 1
	case int64:
		ok = v == 1
	case bool:
		ok = v
	}
	if !ok {
		return reply, fmt.Errorf("mongo: command %s failed: %v (code %v)", cmd[0].Key, reply.Get("errmsg"), reply.Get("code"))
	}
	return reply, nil
}
