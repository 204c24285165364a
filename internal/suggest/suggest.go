// Package suggest finds the valid word nearest to a mistyped one, for
// "did you mean" in the CLI's flags and the manifest's keys and values.
package suggest

import (
	"cmp"
	"slices"
	"strings"
)

// Nearest returns the candidates closest to word, best first, at most max:
// the same ignoring case, then those word starts or is part of, then those
// within an edit distance of a third of its length (at least 1).
func Nearest(word string, candidates []string, max int) []string {
	w := strings.ToLower(word)
	type cand struct {
		s     string
		score int
	}
	var cands []cand
	limit := max1(len(w) / 3)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := Distance(w, lc)
		score := -1
		switch {
		case d == 0:
			score = 0
		case len(w) >= 2 && strings.HasPrefix(lc, w):
			score = 1
		case len(w) >= 3 && strings.Contains(lc, w):
			score = 2
		case d <= limit:
			score = 2 + d
		}
		if score >= 0 {
			cands = append(cands, cand{c, score})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.s, b.s)) })
	var out []string
	for _, c := range cands[:min(len(cands), max)] {
		out = append(out, c.s)
	}
	return out
}

// DidYouMean is " (did you mean X?)" for the nearest candidate, or "".
func DidYouMean(word string, candidates []string) string {
	if s := Nearest(word, candidates, 1); len(s) > 0 {
		return " (did you mean " + s[0] + "?)"
	}
	return ""
}

func max1(n int) int { return max(1, n) }

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
