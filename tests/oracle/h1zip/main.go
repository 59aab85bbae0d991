// Command h1zip is the test oracle for goreg's module zip checks: it reads a
// zip file with the Go code the go command itself uses and prints two lines,
//
//	h1 <hash>            or   h1 error: <reason>
//	check ok             or   check error: <reason>
//
// the first from golang.org/x/mod/sumdb/dirhash.HashZip (the hash go.sum
// records), the second from golang.org/x/mod/zip.CheckZip (the checks `go mod
// download` makes before it unpacks).  The module path and version are
// MODULE and VERSION, else those of the first entry's "module@version/"
// prefix.  Exit status: 0 when both succeed, 1 when either fails, 2 on a
// usage error.
//
// With -c it makes a module zip instead, as the go command makes one from a
// directory (golang.org/x/mod/zip.CreateFromDir):
//
//	h1zip -c OUT.zip MODULE VERSION DIR
//
// It has no go.mod: it is built in GOPATH mode (GO111MODULE=off), with
// GOPATH naming a scratch directory and the GOPATH tree of Debian's
// golang-golang-x-mod-dev, as tests/integration/t0740-proto-zip-one-reading.sh
// does.
package main

import (
	"archive/zip"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

func main() {
	if len(os.Args) == 6 && os.Args[1] == "-c" {
		create(os.Args[2], module.Version{Path: os.Args[3], Version: os.Args[4]}, os.Args[5])
		return
	}
	if len(os.Args) != 2 && len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: h1zip ZIP [MODULE VERSION] | h1zip -c OUT.zip MODULE VERSION DIR")
		os.Exit(2)
	}
	file := os.Args[1]
	failed := false

	h1, err := dirhash.HashZip(file, dirhash.Hash1)
	if err != nil {
		fmt.Printf("h1 error: %s\n", oneLine(err))
		failed = true
	} else {
		fmt.Printf("h1 %s\n", h1)
	}

	var mv module.Version
	if len(os.Args) == 4 {
		mv = module.Version{Path: os.Args[2], Version: os.Args[3]}
	} else if mv, err = firstPrefix(file); err != nil {
		fmt.Printf("check error: %s\n", oneLine(err))
		os.Exit(1)
	}
	if _, err := modzip.CheckZip(mv, file); err != nil {
		fmt.Printf("check error: %s\n", oneLine(err))
		failed = true
	} else {
		fmt.Println("check ok")
	}
	if failed {
		os.Exit(1)
	}
}

// create writes the zip of dir that the go command would make.
func create(out string, mv module.Version, dir string) {
	f, err := os.Create(out)
	if err == nil {
		err = modzip.CreateFromDir(f, mv, dir)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "h1zip: %s\n", oneLine(err))
		os.Exit(1)
	}
}

// firstPrefix splits the first entry's name at its first '@' and the first
// '/' after it, as goreg does.
func firstPrefix(file string) (module.Version, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return module.Version{}, err
	}
	defer z.Close()
	if len(z.File) == 0 {
		return module.Version{}, fmt.Errorf("zip has no entries")
	}
	name := z.File[0].Name
	at := strings.IndexByte(name, '@')
	if at < 0 {
		return module.Version{}, fmt.Errorf("%q: no module@version/ prefix", name)
	}
	slash := strings.IndexByte(name[at:], '/')
	if slash < 0 {
		return module.Version{}, fmt.Errorf("%q: no module@version/ prefix", name)
	}
	return module.Version{Path: name[:at], Version: name[at+1 : at+slash]}, nil
}

// oneLine keeps CheckZip's multi-line reports on the one line the tests read.
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}
