// Command matchprefix is the test oracle for goreg's GOPRIVATE-style
// patterns (an owner's upstream private patterns): for each line
// "GLOBS<TAB>TARGET" of standard input it prints 1 or 0, whether
// golang.org/x/mod/module.MatchPrefixPatterns, which the go command uses
// for GOPRIVATE, GONOPROXY and GONOSUMDB, matches TARGET.  A line
// "GLOBS<TAB>TARGET<TAB>WANT" is read the same; WANT is ignored.
//
// It has no go.mod: it is built in GOPATH mode (GO111MODULE=off), with
// GOPATH naming a scratch directory and the GOPATH tree of Debian's
// golang-golang-x-mod-dev, as tests/integration/lib.sh's go_oracle does.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/module"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		if len(f) < 2 {
			fmt.Fprintln(os.Stderr, "matchprefix: a line without a tab")
			os.Exit(2)
		}
		if module.MatchPrefixPatterns(f[0], f[1]) {
			fmt.Fprintln(out, 1)
		} else {
			fmt.Fprintln(out, 0)
		}
	}
}
