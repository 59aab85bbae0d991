// sumdb: a checksum database for the tests, built in GOPATH mode from
// Debian's golang.org/x/mod (sumdb.NewTestServer, an in-memory signed
// tree): it answers for the module versions of a file-based GOPROXY tree,
// whose go.sum lines it computes with x/mod's dirhash from the tree's
// .zip and .mod files.  It prints its verifier key (name+hash+key, what
// GOSUMDB takes) on the first line, then serves on 127.0.0.1:PORT.
//
//	sumdb NAME TREE PORT
package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: sumdb NAME TREE PORT")
	}
	name, tree, port := os.Args[1], os.Args[2], os.Args[3]
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		log.Fatal(err)
	}
	gosum := func(path, vers string) ([]byte, error) {
		ep, err := module.EscapePath(path)
		if err != nil {
			return nil, err
		}
		ev, err := module.EscapeVersion(vers)
		if err != nil {
			return nil, err
		}
		base := filepath.Join(tree, ep, "@v", ev)
		zh, err := dirhash.HashZip(base+".zip", dirhash.Hash1)
		if err != nil {
			return nil, err
		}
		mh, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) { return os.Open(base + ".mod") })
		if err != nil {
			return nil, err
		}
		return []byte(fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", path, vers, zh, path, vers, mh)), nil
	}
	srv := sumdb.NewServer(sumdb.NewTestServer(skey, gosum))
	mux := http.NewServeMux()
	for _, p := range sumdb.ServerPaths {
		mux.Handle(p, srv)
	}
	fmt.Println(vkey)
	log.Fatal(http.ListenAndServe("127.0.0.1:"+port, mux))
}
