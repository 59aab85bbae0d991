// sumdbcheck: checks a checksum database the way the go command does, with
// Debian's golang.org/x/mod/sumdb client (GOPATH mode), and more:
//
//	sumdbcheck DBURL VKEY PROXYURL STATEDIR < MODULE@VERSION lines
//
// For each MODULE@VERSION on stdin it looks the version up with
// sumdb.Client (signed tree head, inclusion proof through tiles,
// consistency with the tree head STATEDIR kept from the last run) and
// compares the go.sum lines with the h1: hashes x/mod's dirhash computes
// from the .zip and .mod PROXYURL serves.  Then it reads every full and
// partial tile of the current tree, hash tiles and data tiles, checks
// them against the signed tree hash, each data tile's records against
// the leaf hashes, and the new tree head against the last one (a tree
// consistency proof).  It prints "ok N" (N the tree size) or exits 1.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(f string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "sumdbcheck: "+f+"\n", a...)
	os.Exit(1)
}

func get(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return data, nil
}

// ops: sumdb.ClientOps over HTTP, the tree head kept in STATEDIR, tiles
// cached in memory for one run only (so every run reads them afresh).
type ops struct {
	db, vkey, dir string
	cache         map[string][]byte
}

func (o *ops) ReadRemote(path string) ([]byte, error) { return get(o.db + path) }

func (o *ops) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.vkey), nil
	}
	data, err := os.ReadFile(filepath.Join(o.dir, "latest"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	return data, err
}

func (o *ops) WriteConfig(file string, old, new []byte) error {
	cur, _ := o.ReadConfig(file)
	if !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	return os.WriteFile(filepath.Join(o.dir, "latest"), new, 0644)
}

func (o *ops) ReadCache(file string) ([]byte, error) {
	if d, ok := o.cache[file]; ok {
		return d, nil
	}
	return nil, os.ErrNotExist
}

func (o *ops) WriteCache(file string, data []byte) { o.cache[file] = data }
func (o *ops) Log(msg string)                      {}
func (o *ops) SecurityError(msg string)            { fail("SECURITY ERROR: %s", msg) }

// want: the go.sum lines of m from the files the proxy serves
func want(proxy string, m module.Version) []string {
	ep, _ := module.EscapePath(m.Path)
	ev, _ := module.EscapeVersion(m.Version)
	base := proxy + "/" + ep + "/@v/" + ev
	zip, err := get(base + ".zip")
	if err != nil {
		fail("%v", err)
	}
	tmp, _ := os.CreateTemp("", "sumdbcheck")
	defer os.Remove(tmp.Name())
	tmp.Write(zip)
	tmp.Close()
	hz, err := dirhash.HashZip(tmp.Name(), dirhash.Hash1)
	if err != nil {
		fail("%s: %v", m, err)
	}
	mod, err := get(base + ".mod")
	if err != nil {
		fail("%v", err)
	}
	hm, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(mod)), nil
	})
	if err != nil {
		fail("%v", err)
	}
	return []string{m.Path + " " + m.Version + " " + hz, m.Path + " " + m.Version + "/go.mod " + hm}
}

// tiles reads every tile of the tree through a checked tile reader, and
// every data tile against the leaf hashes.
type tileReader struct{ o *ops }

func (r tileReader) Height() int { return 8 }
func (r tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		d, err := r.o.ReadRemote("/" + t.Path())
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}
func (r tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

func checkTiles(o *ops, tree tlog.Tree, old tlog.Tree) {
	hr := tlog.TileHashReader(tree, tileReader{o})
	idx := make([]int64, tree.N)
	for i := range idx {
		idx[i] = tlog.StoredHashIndex(0, int64(i))
	}
	leaves, err := hr.ReadHashes(idx)
	if err != nil {
		fail("reading the leaf hashes through the tiles: %v", err)
	}
	for _, t := range tlog.NewTiles(8, 0, tree.N) {
		if t.L != 0 {
			continue
		}
		t.L = -1
		data, err := o.ReadRemote("/" + t.Path())
		if err != nil {
			fail("%v", err)
		}
		for i := 0; i < t.W; i++ {
			id, text, rest, err := tlog.ParseRecord(data)
			if err != nil || id != t.N<<8+int64(i) {
				fail("%s: record %d: %v (id %d)", t.Path(), i, err, id)
			}
			if tlog.RecordHash(text) != leaves[id] {
				fail("%s: record %d is not the leaf the hash tiles hold", t.Path(), id)
			}
			data = rest
		}
		if len(data) != 0 {
			fail("%s: %d bytes after its records", t.Path(), len(data))
		}
	}
	if old.N > 0 && old.N <= tree.N {
		p, err := tlog.ProveTree(tree.N, old.N, hr)
		if err != nil {
			fail("proving tree %d from %d: %v", tree.N, old.N, err)
		}
		if err := tlog.CheckTree(p, tree.N, tree.Hash, old.N, old.Hash); err != nil {
			fail("tree %d is not consistent with tree %d: %v", tree.N, old.N, err)
		}
	}
}

func signedTree(o *ops, msg []byte) tlog.Tree {
	v, err := note.NewVerifier(o.vkey)
	if err != nil {
		fail("%v", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fail("the tree head: %v", err)
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		fail("%v", err)
	}
	return tree
}

func main() {
	if len(os.Args) != 5 {
		fail("usage: sumdbcheck DBURL VKEY PROXYURL STATEDIR")
	}
	o := &ops{db: strings.TrimSuffix(os.Args[1], "/"), vkey: os.Args[2], dir: os.Args[4], cache: map[string][]byte{}}
	proxy := strings.TrimSuffix(os.Args[3], "/")
	var old tlog.Tree
	if prev, _ := o.ReadConfig("latest"); len(prev) > 0 {
		old = signedTree(o, prev)
	}
	c := sumdb.NewClient(o)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		at := strings.LastIndex(in.Text(), "@")
		m := module.Version{Path: in.Text()[:at], Version: in.Text()[at+1:]}
		// the go command looks up the zip's line and go.mod's line apart
		var lines []string
		for _, v := range []string{m.Version, m.Version + "/go.mod"} {
			l, err := c.Lookup(m.Path, v)
			if err != nil {
				fail("lookup %s@%s: %v", m.Path, v, err)
			}
			lines = append(lines, l...)
		}
		if w := want(proxy, m); strings.Join(lines, "\n") != strings.Join(w, "\n") {
			fail("lookup %s: %q, but the files give %q", m, lines, w)
		}
	}
	latest, err := o.ReadRemote("/latest")
	if err != nil {
		fail("%v", err)
	}
	tree := signedTree(o, latest)
	checkTiles(o, tree, old)
	os.WriteFile(filepath.Join(o.dir, "latest"), latest, 0644)
	fmt.Printf("ok %d\n", tree.N)
}
