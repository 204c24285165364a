package server

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// jsonBuffers holds the buffers writeSessionJSON appends to: the body
// escapes to the heap through ResponseWriter.Write, so a buffer per answer
// would be an allocation per poll. The zero value is ready.
type jsonBuffers struct{ pool sync.Pool }

// maxPooledJSON is the largest buffer kept: one grown by an unusually long
// name or image is dropped.
const maxPooledJSON = 4 << 10

func (p *jsonBuffers) get() *[]byte {
	if b, ok := p.pool.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 512)
	return &b
}

func (p *jsonBuffers) put(b *[]byte) {
	if cap(*b) <= maxPooledJSON {
		p.pool.Put(b)
	}
}

// writeSessionJSON answers GET /session with s when no Session callback
// shapes the body: the bytes encoding/json writes for sessionBody's map,
// appended directly, since this answer is the one a client polls.
func (a *Auth) writeSessionJSON(w http.ResponseWriter, s *Session) {
	w.Header()["Content-Type"] = contentTypeJSON
	w.WriteHeader(http.StatusOK)
	buf := a.jsonBufs.get()
	*buf = appendSessionJSON((*buf)[:0], s)
	_, _ = w.Write(*buf)
	a.jsonBufs.put(buf)
}

// appendSessionJSON appends what json.NewEncoder(w).Encode(body) writes for
// sessionBody's map of s — members in sorted order, "" as null, strings
// escaped as encoding/json escapes them, a final newline.
func appendSessionJSON(b []byte, s *Session) []byte {
	b = append(b, `{"expires":"`...)
	b = appendISOTime(b, s.Expires)
	b = append(b, `","user":{"email":`...)
	b = appendNullable(b, s.User.Email)
	b = append(b, `,"image":`...)
	b = appendNullable(b, s.User.Image)
	b = append(b, `,"name":`...)
	b = appendNullable(b, s.User.Name)
	return append(b, "}}\n"...)
}

// appendNullable appends s as a JSON string as encoding/json writes it
// (HTML characters escaped), or null when it is empty.
func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			// Escapes and non-ASCII text: encoding/json's own rules.
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendISOTime appends t as JavaScript's Date.toISOString writes it (the
// isoTime layout, in UTC), without time.Format's general layout parsing.
func appendISOTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, isoTime)
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/int(time.Millisecond), 3)
	return append(b, 'Z')
}

// appendDigits appends the non-negative n in exactly width decimal digits.
func appendDigits(b []byte, n, width int) []byte {
	end := len(b) + width
	b = append(b, "0000"[:width]...)
	for i := end - 1; n > 0 && i >= end-width; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return b
}
