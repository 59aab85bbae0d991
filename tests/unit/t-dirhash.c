/* dirhash Hash1 ("h1:") against golang.org/x/mod/sumdb/dirhash's test
 * vector and hashes the go command itself printed. */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "gomod/dirhash.h"
#include "tap.h"

static void file(struct dirhash_file *f, const char *name, const char *content)
{
	f->name = name;
	crypto_hash_sha256(f->sha256, (const unsigned char *)content, strlen(content));
}

int main(void)
{
	struct dirhash_file f[5];
	char h1[H1_LEN + 1];

	/* hash_test.go TestHash1: files "xyz" and "abc" holding "data for
	 * <name>", given unsorted.  Want = base64 SHA-256 of
	 * "<sha(data for abc)>  abc\n<sha(data for xyz)>  xyz\n" (the test's
	 * htop), computed with sha256sum | xxd -r -p | base64. */
	file(&f[0], "xyz", "data for xyz");
	file(&f[1], "abc", "data for abc");
	is_int(dirhash_h1(f, 2, h1), 0, "Hash1 of x/mod's TestHash1 files");
	is_str(h1, "h1:EP6WfDoQTSk9klnxcjriWJOGztueJUywHNmWeq+efB8=", "Hash1 matches x/mod's TestHash1 vector");
	is_str(f[0].name, "abc", "files are sorted in place");
	is_int(strlen(h1), H1_LEN, "h1 is H1_LEN characters");

	/* TestHash1's second half: a name with a newline is refused */
	file(&f[0], "xyz", "data for xyz");
	file(&f[1], "a\nbc", "data for a\nbc");
	is_int(dirhash_h1(f, 2, h1), -1, "a file name with a newline is refused");

	/* no files: the SHA-256 of the empty summary */
	is_int(dirhash_h1(f, 0, h1), 0, "Hash1 of no files");
	is_str(h1, "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "Hash1 of no files is base64(sha256(\"\"))");

	/* Byte order as Go's sort.Strings: "B" < "Z_" < "_" < "a" < "\xc3\xa9".
	 * Each file holds its own name.  Want printed by a Go program doing
	 * sort.Strings, fmt.Fprintf("%x  %s\n") and base64.StdEncoding. */
	file(&f[0], "a", "a");
	file(&f[1], "B", "B");
	file(&f[2], "\xc3\xa9", "\xc3\xa9");
	file(&f[3], "Z_", "Z_");
	file(&f[4], "_", "_");
	is_int(dirhash_h1(f, 5, h1), 0, "Hash1 of mixed-case and non-ASCII names");
	is_str(h1, "h1:1B7ql+NaehXiKmKRZnXf+sbZ3Yc1at/Tfs4vQk8PBHg=", "names are sorted bytewise like sort.Strings");

	/* Ground truth from the go command (go1.19.8): a zip for
	 * example.com/m@v1.0.0 with these five entries (the directory entry
	 * "sub/" included) made with archive/zip, served from a file://
	 * GOPROXY tree, then `GOPROXY=file:///tmp/gt/proxy GOSUMDB=off
	 * GOFLAGS=-mod=mod go mod download -json example.com/m@v1.0.0` printed
	 * "Sum" and "GoModSum". */
	file(&f[0], "example.com/m@v1.0.0/sub/b.go", "package sub\n");
	file(&f[1], "example.com/m@v1.0.0/go.mod", "module example.com/m\n\ngo 1.19\n");
	file(&f[2], "example.com/m@v1.0.0/sub/", "");
	file(&f[3], "example.com/m@v1.0.0/a.go", "package m\n");
	file(&f[4], "example.com/m@v1.0.0/LICENSE", "MIT\n");
	is_int(dirhash_h1(f, 5, h1), 0, "Hash1 of example.com/m@v1.0.0");
	is_str(h1, "h1:Xfl9fTHS7t26OHEM2khLZ2OX3Uzlra91slu4X5FDhJk=", "zip hash equals go mod download's Sum");

	is_int(dirhash_h1_gomod("module example.com/m\n\ngo 1.19\n", 30, h1), 0, "go.mod hash");
	is_str(h1, "h1:c7eb1HtAGcXC5xl8fDvw0SlSffdsUomPvNZGVXleRQ4=", "go.mod hash equals go mod download's GoModSum");

	/* The go.mod the go command synthesizes for a module without one
	 * (modfetch.LegacyGoMod), fetched in direct mode from a local git
	 * repository with no go.mod, tagged v1.0.0, as example.com/nomod.git
	 * (git insteadOf rewriting the URL to file://): GoModSum printed by
	 * `GOPROXY=direct go mod download -json example.com/nomod.git@v1.0.0`. */
	is_int(dirhash_h1_gomod("module example.com/nomod.git\n", 29, h1), 0, "synthesized go.mod hash");
	is_str(h1, "h1:VRn5pn36LmBiwWAv9o2bnMb6d+3wNR41dkTGlejKBTE=", "synthesized go.mod hash equals GoModSum");

	is_int(dirhash_h1_gomod("", 0, h1), 0, "empty go.mod hash");

	return done_testing();
}
