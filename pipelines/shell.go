package pipelines

import (
	"errors"
	"regexp"
	"strings"
)

// Command is one simple command of a script, as words with quotes removed. Redirections are words
// that start with Redirect.
type Command []string

// Redirect starts the words that are redirection operators (>, 2>&1, <).
const Redirect = "\x00redirect:"

// Commands splits a shell script into its simple commands: at newlines (not escaped), ;, &, &&,
// ||, | and parentheses, with comments dropped. It understands single and double quotes,
// backslashes and $( ... ) (command substitution and Azure Pipelines macros stay inside their
// word). It is not a shell: enough to find how each program is called.
func Commands(script string) ([]Command, error) {
	var out []Command
	var cur Command
	var word strings.Builder
	inWord := false
	flushWord := func() {
		if inWord {
			cur = append(cur, word.String())
			word.Reset()
			inWord = false
		}
	}
	flushCmd := func() {
		flushWord()
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	rs := []rune(script)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\' && i+1 < len(rs):
			i++
			if rs[i] == '\n' {
				continue // line continuation
			}
			word.WriteRune(rs[i])
			inWord = true
		case c == '\'':
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return nil, errors.New("unterminated single quote")
			}
			word.WriteString(string(rs[i+1 : j]))
			inWord, i = true, j
		case c == '"':
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
					word.WriteRune(rs[j])
					continue
				}
				if rs[j] == '$' && j+1 < len(rs) && rs[j+1] == '(' {
					k, err := closeParen(rs, j+1)
					if err != nil {
						return nil, err
					}
					word.WriteString(string(rs[j : k+1]))
					j = k
					continue
				}
				word.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, errors.New("unterminated double quote")
			}
			inWord, i = true, j
		case c == '$' && i+1 < len(rs) && rs[i+1] == '(':
			k, err := closeParen(rs, i+1)
			if err != nil {
				return nil, err
			}
			word.WriteString(string(rs[i : k+1]))
			inWord, i = true, k
		case c == '#' && !inWord:
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			flushCmd()
		case c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
			if c == '&' && i > 0 && (rs[i-1] == '>' || rs[i-1] == '<') {
				word.WriteRune(c)
				continue
			}
			flushCmd()
		case c == '>' || c == '<':
			// An operator word: digits before it (2>) belong to it, so do &N after it.
			fd := ""
			if inWord && isDigits(word.String()) {
				fd = word.String()
				word.Reset()
				inWord = false
			}
			flushWord()
			op := fd + string(c)
			for i+1 < len(rs) && (rs[i+1] == '>' || rs[i+1] == '&' || (strings.HasSuffix(op, "&") && rs[i+1] >= '0' && rs[i+1] <= '9')) {
				i++
				op += string(rs[i])
			}
			cur = append(cur, Redirect+op)
		case c == ' ' || c == '\t':
			flushWord()
		default:
			word.WriteRune(c)
			inWord = true
		}
	}
	flushCmd()
	return out, nil
}

func closeParen(rs []rune, open int) (int, error) {
	depth := 0
	for k := open; k < len(rs); k++ {
		switch rs[k] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k, nil
			}
		}
	}
	return 0, errors.New("unterminated $(")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var assignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// Program returns the command without shell keywords and leading variable assignments, and
// without redirections: what is run, with its arguments.
func (c Command) Program() Command {
	var out Command
	for i := 0; i < len(c); i++ {
		w := c[i]
		if strings.HasPrefix(w, Redirect) {
			op := strings.TrimPrefix(w, Redirect)
			if !strings.Contains(op, "&") || strings.HasSuffix(op, "&") {
				i++ // the target word
			}
			continue
		}
		if len(out) == 0 {
			switch w {
			case "if", "then", "else", "elif", "do", "while", "until", "!", "time", "exec", "{", "}", "fi", "done":
				continue
			}
			if assignment.MatchString(w) {
				continue
			}
		}
		out = append(out, w)
	}
	return out
}
