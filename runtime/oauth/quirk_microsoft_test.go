package oauth_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/oauth"
)

func TestMicrosoftGraphPhoto(t *testing.T) {
	photo := []byte{0xff, 0xd8, 0xff, 0xe0, 'J', 'F', 'I', 'F'}
	tests := []struct {
		name        string
		image       string // already mapped
		status      int
		contentType string
		body        []byte
		want        string
		wantCalls   int
	}{
		{
			name: "jpeg", status: 200, contentType: "image/jpeg", body: photo,
			want: "data:image/jpeg;base64,/9j/4EpGSUY=", wantCalls: 1,
		},
		{
			name: "png", status: 200, contentType: "image/png", body: []byte("png"),
			want: "data:image/png;base64,cG5n", wantCalls: 1,
		},
		{
			name: "odd content type", status: 200, contentType: "application/octet-stream", body: photo,
			want: "data:image/jpeg;base64,/9j/4EpGSUY=", wantCalls: 1,
		},
		{name: "no photo", status: 404, contentType: "application/json", body: []byte(`{"error":{"code":"ImageNotFound"}}`), wantCalls: 1},
		{name: "empty", status: 200, contentType: "image/jpeg", wantCalls: 1},
		{name: "too large", status: 200, contentType: "image/jpeg", body: bytes.Repeat([]byte{1}, 64<<10+1), wantCalls: 1},
		{name: "already mapped", image: "https://example.com/a.png", want: "https://example.com/a.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if r.URL.Path != "/v1.0/me/photos/48x48/$value" || r.Header.Get("Authorization") != "Bearer at" {
					http.Error(w, "unexpected request "+r.URL.Path, http.StatusUnauthorized)
					return
				}
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				_, _ = w.Write(tt.body)
			}))
			defer srv.Close()
			client := &http.Client{Transport: toServer{srv}}
			u := &oauth.User{ID: "1", Image: tt.image}
			tok := &oauth2.Token{AccessToken: "at", TokenType: "Bearer"}
			if err := oauth.MicrosoftGraphPhoto(context.Background(), client, &oauth.Provider{}, tok, u); err != nil {
				t.Fatalf("error = %v, want none", err)
			}
			if u.Image != tt.want {
				t.Errorf("image = %q, want %q", u.Image, tt.want)
			}
			if calls != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls, tt.wantCalls)
			}
		})
	}
}

func TestMicrosoftGraphPhotoUnreachable(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	srv.Close()
	u := &oauth.User{ID: "1"}
	tok := &oauth2.Token{AccessToken: "at", TokenType: "Bearer"}
	if err := oauth.MicrosoftGraphPhoto(context.Background(), &http.Client{Transport: toServer{srv}}, &oauth.Provider{}, tok, u); err != nil {
		t.Fatalf("error = %v, want none", err)
	}
	if u.Image != "" {
		t.Errorf("image = %q, want none", u.Image)
	}
}
