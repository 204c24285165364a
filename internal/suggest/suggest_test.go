package suggest

import (
	"slices"
	"testing"
)

func TestNearest(t *testing.T) {
	tests := []struct {
		word       string
		candidates []string
		want       []string
	}{
		{"databse", []string{"database", "providers", "session"}, []string{"database"}},
		{"postgress", []string{"sqlite", "postgres", "mysql", "mongodb", "none"}, []string{"postgres"}},
		{"SQLite", []string{"sqlite", "postgres"}, []string{"sqlite"}},
		{"git", []string{"github", "gitlab", "google"}, []string{"github", "gitlab"}},
		{"xyzzy", []string{"github", "google"}, nil},
	}
	for _, tt := range tests {
		if got := Nearest(tt.word, tt.candidates, 5); !slices.Equal(got, tt.want) {
			t.Errorf("Nearest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := DidYouMean("jwtt", []string{"jwt", "database"}); got != " (did you mean jwt?)" {
		t.Errorf("DidYouMean = %q", got)
	}
	if Distance("kitten", "sitting") != 3 {
		t.Error("Distance(kitten, sitting) != 3")
	}
}
