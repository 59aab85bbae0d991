/* modzip_check (gomod_module_path itself is tested in t-gomod.c).  Every zip is built at run time with
 * libzip's write API in a mkdtemp directory; zips no writer would make
 * (duplicate names, NUL in a name, wrong sizes, bad methods, flipped data)
 * are made by patching the bytes of a good one.  Expected hashes are what
 * the go command printed for the same names and contents. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <sodium.h>

#include "gomod/fold.h"
#include "gomod/modzip.h"
#include "gomod/zipcdir.h"
#include "tap.h"
#include "base/utf8.h"

struct zf {
	const char *name;       /* a name ending in '/' is a directory entry */
	const char *data;       /* NUL-terminated content */
	int store;              /* 1: method store, else deflate */
	uint32_t unixmode;      /* 0: leave libzip's default attributes */
};

static char dir[64];
static int nzip;

static const char *zpath(void)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/%03d.zip", dir, ++nzip);
	return p;
}

/* Write a zip of the given entries; returns its path (static buffer). */
static const char *mkzip(const struct zf *f, size_t n)
{
	const char *path = zpath();
	zip_t *za;
	size_t i;
	int e;

	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e)) == NULL) {
		printf("Bail out! zip_open %s: %d\n", path, e);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(f[i].name);
		zip_int64_t idx;
		if (len > 0 && f[i].name[len - 1] == '/') {
			idx = zip_dir_add(za, f[i].name, ZIP_FL_ENC_GUESS);
		} else {
			zip_source_t *src = zip_source_buffer(za, f[i].data, strlen(f[i].data), 0);
			idx = src ? zip_file_add(za, f[i].name, src, ZIP_FL_ENC_GUESS) : -1;
			if (idx >= 0)
				zip_set_file_compression(za, (zip_uint64_t)idx,
				                         f[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
		}
		if (idx < 0) {
			printf("Bail out! zip_file_add %s: %s\n", f[i].name, zip_strerror(za));
			exit(1);
		}
		if (f[i].unixmode)
			zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
			                                 f[i].unixmode << 16);
	}
	if (zip_close(za) != 0) {
		printf("Bail out! zip_close %s: %s\n", path, zip_strerror(za));
		exit(1);
	}
	return path;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0 ||
	    (b = malloc((size_t)n + 1)) == NULL || fread(b, 1, (size_t)n, fp) != (size_t)n) {
		printf("Bail out! reading %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fclose(fp);
	*len = (size_t)n;
	return b;
}

static void spew(const char *path, const unsigned char *b, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(b, 1, len, fp) != len || fclose(fp) != 0) {
		printf("Bail out! writing %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void put(unsigned char *p, uint32_t v, int width)
{
	int i;
	for (i = 0; i < width; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Set a field of the local header (at loc_off) and of the central
 * directory header (at cen_off) of the entry called name.  Returns how
 * many headers were changed. */
static int patch_field(const char *path, const char *name, int loc_off, int cen_off, uint32_t v, int width)
{
	size_t len, i, nl = strlen(name);
	unsigned char *b = slurp(path, &len);
	int changed = 0;

	for (i = 0; i + 46 <= len; i++) {
		if (memcmp(b + i, "PK\3\4", 4) == 0 && get16(b + i + 26) == nl && i + 30 + nl <= len &&
		    memcmp(b + i + 30, name, nl) == 0 && loc_off >= 0) {
			put(b + i + loc_off, v, width);
			changed++;
		} else if (memcmp(b + i, "PK\1\2", 4) == 0 && get16(b + i + 28) == nl && i + 46 + nl <= len &&
		           memcmp(b + i + 46, name, nl) == 0 && cen_off >= 0) {
			put(b + i + cen_off, v, width);
			changed++;
		}
	}
	spew(path, b, len);
	free(b);
	return changed;
}

/* Replace every occurrence of from with to (same length). */
static int patch_bytes(const char *path, const char *from, const char *to, size_t n)
{
	size_t len, i;
	unsigned char *b = slurp(path, &len);
	int changed = 0;

	for (i = 0; i + n <= len; i++)
		if (memcmp(b + i, from, n) == 0) {
			memcpy(b + i, to, n);
			changed++;
		}
	spew(path, b, len);
	free(b);
	return changed;
}

static int check(const char *path, struct modzip_info *mi, char *err, size_t errsz)
{
	int rc = modzip_check(path, mi, err, errsz);
	if (rc == 0)
		modzip_info_free(mi);
	return rc;
}

/* The zip at path must be refused (1) with a one-line reason containing
 * needle. */
static void refused(const char *label, const char *path, const char *needle)
{
	struct modzip_info mi;
	char err[512];
	int rc = check(path, &mi, err, sizeof err);

	is_int(rc, 1, "%s: refused", label);
	printf("#   %s\n", err);
	if (!ok(strstr(err, needle) != NULL && strchr(err, '\n') == NULL, "%s: reason names the rule", label))
		printf("#   reason: %s\n#   wanted: %s\n", err, needle);
	ok(mi.gomod == NULL, "%s: nothing left to free", label);
}

static void refused_zip(const char *label, const struct zf *f, size_t n, const char *needle)
{
	refused(label, mkzip(f, n), needle);
}

#define N(a) (sizeof (a) / sizeof (a)[0])
#define M "example.com/m@v1.0.0/"

static void test_valid(void)
{
	struct modzip_info mi;
	char err[512];
	int rc;

	/* The same names and contents as the zip the go command hashed to
	 * Sum h1:Xfl9f... and GoModSum h1:c7eb1H... (see t-dirhash.c: go1.19.8,
	 * file:// GOPROXY, `go mod download -json example.com/m@v1.0.0`).
	 * Entry order, methods and attributes do not enter the hash. */
	static const struct zf good[] = {
		{ M "a.go", "package m\n", 0, 0100644 },
		{ M "go.mod", "module example.com/m\n\ngo 1.19\n", 1, 0 },
		{ M "sub/", "", 0, 040755 },
		{ M "sub/b.go", "package sub\n", 1, 0 },
		{ M "LICENSE", "MIT\n", 0, 0 },
	};
	const char *path = mkzip(good, N(good));

	rc = modzip_check(path, &mi, err, sizeof err);
	is_int(rc, 0, "valid zip accepted");
	if (rc != 0)
		printf("#   reason: %s\n", err);
	is_str(mi.module, "example.com/m", "module path from the prefix");
	is_str(mi.version, "v1.0.0", "version from the prefix");
	is_str(mi.h1_zip, "h1:Xfl9fTHS7t26OHEM2khLZ2OX3Uzlra91slu4X5FDhJk=", "h1 of the zip equals the go command's Sum");
	is_str(mi.h1_mod, "h1:c7eb1HtAGcXC5xl8fDvw0SlSffdsUomPvNZGVXleRQ4=", "h1 of go.mod equals the go command's GoModSum");
	{
		/* the hash alone, as sumdb init takes it again */
		char h1[H1_LEN + 1] = "";
		is_int(modzip_hash(path, h1, err, sizeof err), 0, "modzip_hash reads the zip");
		is_str(h1, "h1:Xfl9fTHS7t26OHEM2khLZ2OX3Uzlra91slu4X5FDhJk=", "  and gives the go command's Sum");
		char h2[H1_LEN + 1] = "";
		static const unsigned char junk[] = "not a zip at all";
		char jp[512];
		snprintf(jp, sizeof jp, "%s/junk.zip", dir);
		spew(jp, junk, sizeof junk - 1);
		is_int(modzip_hash(jp, h2, err, sizeof err), 1, "modzip_hash of no zip: 1, with a reason (%s)", err);
		snprintf(jp, sizeof jp, "%s/none.zip", dir);
		is_int(modzip_hash(jp, h2, err, sizeof err), -1, "modzip_hash of a missing file: -1");
	}
	is_int(mi.gomod_synth, 0, "go.mod from the zip, not synthesized");
	ok(mi.gomod != NULL && mi.gomod_len == 30 && memcmp(mi.gomod, "module example.com/m\n\ngo 1.19\n", 30) == 0,
	   "go.mod bytes returned");
	is_int(mi.nfiles, 4, "four files (the directory entry is not a file)");
	is_int(mi.unzipped, 10 + 30 + 12 + 4, "total uncompressed size");
	modzip_info_free(&mi);
	ok(mi.gomod == NULL, "modzip_info_free clears gomod");

	/* No go.mod: cmd/go synthesizes "module <path>\n" (modfetch.LegacyGoMod).
	 * Ground truth from `GOPROXY=direct go mod download -json
	 * example.com/nomod.git@v1.0.0` (go1.19.8) on a local git repository
	 * holding only a.go = "package nomod\n": Sum and GoModSum below. */
	{
		static const struct zf nomod[] = { { "example.com/nomod.git@v1.0.0/a.go", "package nomod\n", 0, 0 } };
		rc = modzip_check(mkzip(nomod, 1), &mi, err, sizeof err);
		is_int(rc, 0, "zip without go.mod accepted");
		is_int(mi.gomod_synth, 1, "go.mod synthesized");
		ok(mi.gomod != NULL && mi.gomod_len == 29 && memcmp(mi.gomod, "module example.com/nomod.git\n", 29) == 0,
		   "synthesized go.mod is \"module <path>\\n\"");
		is_str(mi.h1_zip, "h1:anKT4hXwLLe6iM8VihHgIwkO61cD40lDZE+tpafsxB0=", "h1 equals the go command's Sum (direct mode)");
		is_str(mi.h1_mod, "h1:VRn5pn36LmBiwWAv9o2bnMb6d+3wNR41dkTGlejKBTE=", "h1 of synthesized go.mod equals GoModSum");
		modzip_info_free(&mi);
	}

	/* The same repository tagged v2.0.0 is v2.0.0+incompatible for the go
	 * command (direct mode printed this Sum; GoModSum as above). */
	{
		static const struct zf inc[] = {
			{ "example.com/nomod.git@v2.0.0+incompatible/a.go", "package nomod\n", 0, 0 },
		};
		rc = modzip_check(mkzip(inc, 1), &mi, err, sizeof err);
		is_int(rc, 0, "+incompatible zip without go.mod accepted");
		is_str(mi.version, "v2.0.0+incompatible", "+incompatible version kept");
		is_str(mi.h1_zip, "h1:jQEeM7IbzZc3smwIVhlxkbDLc5e5K8ZMdaqKjEVv7r8=", "+incompatible h1 equals the go command's Sum");
		is_str(mi.h1_mod, "h1:VRn5pn36LmBiwWAv9o2bnMb6d+3wNR41dkTGlejKBTE=", "+incompatible go.mod hash");
		modzip_info_free(&mi);
	}

	/* Legal corner cases of x/mod/zip checkZip: the root entry itself, a
	 * directory named go.mod (only files named go.mod are checked), a
	 * major version suffix, a pseudo-version, non-ASCII letters. */
	{
		static const struct zf corner[] = {
			{ "example.com/m/v2@v2.1.0-0.20230101000000-abcdefabcdef/", "", 0, 0 },
			{ "example.com/m/v2@v2.1.0-0.20230101000000-abcdefabcdef/go.mod/x.go", "package x\n", 0, 0 },
			{ "example.com/m/v2@v2.1.0-0.20230101000000-abcdefabcdef/\xc3\xa9t\xc3\xa9.go", "package m\n", 0, 0 },
		};
		rc = modzip_check(mkzip(corner, N(corner)), &mi, err, sizeof err);
		is_int(rc, 0, "root entry, directory named go.mod, /v2 pseudo-version accepted");
		if (rc != 0)
			printf("#   reason: %s\n", err);
		is_int(mi.gomod_synth, 1, "a directory named go.mod is not a go.mod");
		is_int(mi.nfiles, 2, "two files");
		modzip_info_free(&mi);
	}
}

static void test_prefix_and_version(void)
{
	static const struct zf noat[] = { { "example.com/m/a.go", "x", 0, 0 } };
	static const struct zf mixed[] = { { M "a.go", "x", 0, 0 }, { "example.com/other@v1.0.0/b.go", "x", 0, 0 } };
	static const struct zf noslash[] = { { M "a.go", "x", 0, 0 }, { "example.com/m@v1.0.0", "x", 0, 0 } };
	static const struct zf short_v[] = { { "example.com/m@v1.0/a.go", "x", 0, 0 } };
	static const struct zf meta_v[] = { { "example.com/m@v1.0.0+meta/a.go", "x", 0, 0 } };
	static const struct zf bad_v[] = { { "example.com/m@1.0.0/a.go", "x", 0, 0 } };
	static const struct zf major1[] = { { "example.com/m@v2.0.0/a.go", "x", 0, 0 } };
	static const struct zf major2[] = { { "example.com/m/v2@v1.0.0/a.go", "x", 0, 0 } };
	static const struct zf badpath[] = { { "m@v1.0.0/a.go", "x", 0, 0 } };
	static const struct zf inc_compat[] = { { "example.com/m@v1.0.0+incompatible/a.go", "x", 0, 0 } };
	static const struct zf inc_gomod[] = {
		{ "example.com/m@v2.0.0+incompatible/go.mod", "module example.com/m\n", 0, 0 },
		{ "example.com/m@v2.0.0+incompatible/a.go", "x", 0, 0 },
	};

	refused_zip("no module@version prefix", noat, N(noat), "module@version/ prefix");
	refused_zip("mixed prefixes", mixed, N(mixed), "path does not have prefix \"" M "\"");
	refused_zip("entry without the trailing slash", noslash, N(noslash), "path does not have prefix");
	refused_zip("short version", short_v, N(short_v), "not canonical (should be \"v1.0.0\")");
	refused_zip("build metadata", meta_v, N(meta_v), "not canonical (should be \"v1.0.0\")");
	refused_zip("not semver", bad_v, N(bad_v), "not a semantic version");
	refused_zip("v2 without /v2", major1, N(major1), "major");
	refused_zip("/v2 with v1", major2, N(major2), "major");
	refused_zip("invalid module path", badpath, N(badpath), "invalid module \"m@v1.0.0\": ");
	refused_zip("+incompatible on v1", inc_compat, N(inc_compat), "+incompatible suffix not allowed: major version v1 is compatible");
	refused_zip("+incompatible with go.mod", inc_gomod, N(inc_gomod), "module contains a go.mod file");
}

static void test_names(void)
{
	static const struct zf filedir[] = { { M "a", "x", 0, 0 }, { M "a/b.go", "x", 0, 0 } };
	static const struct zf dirfile[] = { { M "a/", "", 0, 0 }, { M "a", "x", 0, 0 } };
	static const struct zf fold[] = { { M "a.go", "x", 0, 0 }, { M "A.go", "y", 0, 0 } };
	static const struct zf folddir[] = { { M "sub/x.go", "x", 0, 0 }, { M "SUB/y.go", "y", 0, 0 } };
	/* U+212A KELVIN SIGN folds to k (strToFold uses unicode.SimpleFold;
	 * the go command reported this very collision for such a zip) */
	static const struct zf kelvin[] = { { M "k.go", "x", 0, 0 }, { M "\xe2\x84\xaa.go", "y", 0, 0 } };
	/* U+017F LATIN SMALL LETTER LONG S folds to s */
	static const struct zf longs[] = { { M "s.go", "x", 0, 0 }, { M "\xc5\xbf.go", "y", 0, 0 } };
	static const struct zf subgomod[] = { { M "a.go", "x", 0, 0 }, { M "sub/go.mod", "module example.com/m/sub\n", 0, 0 } };
	static const struct zf upgomod[] = { { M "GO.MOD", "module example.com/m\n", 0, 0 } };
	static const struct zf subupgomod[] = { { M "sub/Go.Mod", "module example.com/m/sub\n", 0, 0 } };
	static const struct zf dotdot[] = { { M "a/../b.go", "x", 0, 0 } };
	static const struct zf dot[] = { { M "./a.go", "x", 0, 0 } };
	static const struct zf dslash[] = { { M "a//b.go", "x", 0, 0 } };
	static const struct zf dslashdir[] = { { M "a//", "", 0, 0 } };
	static const struct zf abs[] = { { M "a.go", "x", 0, 0 }, { "example.com/m@v1.0.0//a.go", "x", 0, 0 } };
	static const struct zf colon[] = { { M "a:b.go", "x", 0, 0 } };
	static const struct zf ctrl[] = { { M "a\x01.go", "x", 0, 0 } };
	static const struct zf nl[] = { { M "a\nb.go", "x", 0, 0 } };

	refused_zip("file and directory", filedir, N(filedir), "entry \"a\" is both a file and a directory");
	refused_zip("directory entry and file", dirfile, N(dirfile), "entry \"a\" is both a file and a directory");
	refused_zip("case-fold collision", fold, N(fold), "case-insensitive file name collision: \"a.go\" and \"A.go\"");
	refused_zip("case-fold collision of parents", folddir, N(folddir), "case-insensitive file name collision: \"sub\" and \"SUB\"");
	refused_zip("Kelvin sign collides with k", kelvin, N(kelvin), "case-insensitive file name collision");
	refused_zip("long s collides with s", longs, N(longs), "case-insensitive file name collision");
	refused_zip("go.mod in a subdirectory", subgomod, N(subgomod), "go.mod file not in module root directory");
	refused_zip("GO.MOD at the root", upgomod, N(upgomod), "go.mod files must have lowercase names");
	refused_zip("Go.Mod in a subdirectory", subupgomod, N(subupgomod), "go.mod file not in module root directory");
	refused_zip("dot-dot", dotdot, N(dotdot), "file path is not clean");
	refused_zip("dot", dot, N(dot), "file path is not clean");
	refused_zip("double slash", dslash, N(dslash), "file path is not clean");
	refused_zip("directory with double slash", dslashdir, N(dslashdir), "file path is not clean");
	refused_zip("absolute path", abs, N(abs), "malformed file path");
	refused_zip("colon in file name", colon, N(colon), "malformed file path");
	refused_zip("control character in file name", ctrl, N(ctrl), "malformed file path");
	refused_zip("newline in file name", nl, N(nl), "malformed file path");
}

static void test_patched(void)
{
	static const struct zf two[] = { { M "a.go", "package m\n", 0, 0 }, { M "b.go", "package m\n", 0, 0 } };
	static const struct zf twodirs[] = { { M "d1/", "", 0, 0 }, { M "d2/", "", 0, 0 } };
	static const struct zf nul[] = { { M "a_b.go", "package m\n", 0, 0 } };
	static const struct zf gm[] = { { M "go.mod", "module example.com/m\n", 0, 0 }, { M "LICENSE", "MIT\n", 0, 0 } };
	static const struct zf sym[] = { { M "link.go", "a.go", 1, 0120777 } };
	static const struct zf fifo[] = { { M "fifo", "", 1, 0010644 } };
	static const struct zf stored[] = { { M "a.go", "package m // hello crc world\n", 1, 0 } };
	static const struct zf dirdata[] = { { M "sub/", "", 0, 0 }, { M "sub/a.go", "x", 0, 0 } };
	char big[1001];
	struct zf deflated[1] = { { M "big.txt", big, 0, 0 } };
	const char *p;
	int i;

	p = mkzip(two, N(two));
	is_int(patch_bytes(p, M "b.go", M "a.go", strlen(M "a.go")), 2, "patched b.go to a.go in both headers");
	refused("duplicate file", p, "multiple entries for file \"a.go\"");

	p = mkzip(twodirs, N(twodirs));
	patch_bytes(p, M "d2/", M "d1/", strlen(M "d1/"));
	refused("duplicate directory", p, "multiple entries for directory \"d1\"");

	p = mkzip(nul, N(nul));
	patch_bytes(p, M "a_b.go", M "a\0b.go", strlen(M "a_b.go"));
	refused("NUL in a name", p, "nul byte in file name");

	p = mkzip(gm, N(gm));
	is_int(patch_field(p, M "go.mod", 22, 24, (16u << 20) + 1, 4), 2, "patched go.mod's size in both headers");
	refused("go.mod over 16 MiB", p, "go.mod file too large (max size is 16777216 bytes)");

	p = mkzip(gm, N(gm));
	patch_field(p, M "LICENSE", 22, 24, (16u << 20) + 1, 4);
	refused("LICENSE over 16 MiB", p, "LICENSE file too large (max size is 16777216 bytes)");

	p = mkzip(gm, N(gm));
	patch_field(p, M "LICENSE", 22, 24, (500u << 20) + 1, 4);
	refused("total over 500 MiB", p, "total uncompressed size of module contents too large");

	p = mkzip(gm, N(gm));
	patch_field(p, M "LICENSE", 8, 10, 12, 2);      /* bzip2 */
	refused("bzip2 method", p, "compression method 12 not allowed");

	p = mkzip(gm, N(gm));
	patch_field(p, M "LICENSE", 6, 8, 1, 2);        /* traditional encryption */
	refused("encrypted entry", p, "encrypted entries are not allowed");

	refused_zip("symbolic link", sym, N(sym), "symbolic link");
	refused_zip("named pipe", fifo, N(fifo), "not a regular file or directory");

	p = mkzip(stored, N(stored));
	is_int(patch_bytes(p, "hello crc", "hellO crc", 9), 1, "flipped a byte of stored data");
	refused("crc mismatch", p, "crc mismatch in \"" M "a.go\"");

	for (i = 0; i < 1000; i++)
		big[i] = (char)('a' + i % 26);
	big[1000] = '\0';
	p = mkzip(deflated, 1);
	patch_field(p, M "big.txt", 22, 24, 10, 4);
	refused("actual size above the declared size", p, "is larger than declared size (10 bytes)");

	p = mkzip(deflated, 1);
	patch_field(p, M "big.txt", 22, 24, 2000, 4);
	refused("actual size below the declared size", p, "differs from declared size (2000 bytes)");

	p = mkzip(stored, N(stored));
	patch_field(p, M "a.go", 22, 24, 5, 4);
	refused("stored entry longer than declared", p, "is larger than declared size (5 bytes)");

	p = mkzip(dirdata, N(dirdata));
	patch_field(p, M "sub/", 22, 24, 5, 4);
	refused("directory entry with data", p, "directory entry has data");

	/* Info-ZIP Unicode Path extra field: libzip would read its name instead
	 * of the header's, archive/zip would not.  libzip will not write one,
	 * so write a private field and retag it. */
	{
		static const unsigned char field[] = { 1, 0, 0, 0, 0, 'x', '.', 'g', 'o' };
		const char *path = zpath();
		zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &i);
		zip_source_t *src = zip_source_buffer(za, "x", 1, 0);
		zip_int64_t idx = zip_file_add(za, M "a.go", src, 0);
		zip_file_extra_field_set(za, (zip_uint64_t)idx, 0x6a6a, ZIP_EXTRA_FIELD_NEW, field, sizeof field,
		                         ZIP_FL_CENTRAL);
		zip_close(za);
		is_int(patch_bytes(path, "\x6a\x6a\x09\x00", "\x75\x70\x09\x00", 4), 1, "retagged an extra field as 0x7075");
		refused("unicode path extra field", path, "unicode path extra field not allowed");
	}
}

static void test_not_zips(void)
{
	static const struct zf one[] = { { M "a.go", "package m\n", 0, 0 }, { M "b.go", "package m\n", 0, 0 } };
	static const unsigned char empty_eocd[22] = { 'P', 'K', 5, 6 };
	const char *p;
	unsigned char *b;
	size_t len;
	FILE *fp;

	p = zpath();
	spew(p, (const unsigned char *)"this is not a zip file, just some text\n", 39);
	refused("text file", p, "not a valid zip file");

	p = zpath();
	spew(p, (const unsigned char *)"", 0);
	refused("empty file", p, "not a valid zip file");

	p = zpath();
	spew(p, empty_eocd, sizeof empty_eocd);
	refused("zip with no entries", p, "zip has no entries");

	p = mkzip(one, N(one));
	b = slurp(p, &len);
	spew(p, b, len / 2);
	refused("truncated zip", p, "not a valid zip file");

	/* keep the central directory, lose the data: the offsets no longer fit */
	p = mkzip(one, N(one));
	b = (free(b), slurp(p, &len));
	spew(p, b + 40, len - 40);
	refused("zip with its start cut", p, "not a valid zip file");

	p = mkzip(one, N(one));
	{
		unsigned char *c = malloc(len + 100);
		free(b);
		b = slurp(p, &len);
		memset(c, 'x', 100);
		memcpy(c + 100, b, len);
		spew(p, c, len + 100);
		free(c);
	}
	refused("data before the zip", p, "not a valid zip file");

	/* a broken local header: only libzip's ZIP_CHECKCONS reads those */
	p = mkzip(one, N(one));
	free(b);
	b = slurp(p, &len);
	b[0] = 'Q';
	spew(p, b, len);
	refused("bad local header", p, "not a valid zip file");
	free(b);

	/* a sparse file just over MaxZipFile */
	p = zpath();
	if ((fp = fopen(p, "wb")) == NULL || ftruncate(fileno(fp), MODZIP_MAX_ZIP + 1) != 0 || fclose(fp) != 0) {
		printf("Bail out! sparse file: %s\n", strerror(errno));
		exit(1);
	}
	refused("zip over 500 MiB", p, "module zip file is too large");
	unlink(p);

	{
		struct modzip_info mi;
		char err[256];
		char missing[128];
		snprintf(missing, sizeof missing, "%s/absent.zip", dir);
		is_int(modzip_check(missing, &mi, err, sizeof err), -1, "a missing file is a system failure");
		ok(strstr(err, "No such file") != NULL, "reason: %s", err);
	}
}

/* More than 65535 entries need the zip64 end of central directory record
 * (APPNOTE.TXT 4.3.14), which libzip writes only then. */
static void test_many(void)
{
	static char names[MODZIP_MAX_FILES + 1][40];
	static struct zf f[MODZIP_MAX_FILES + 1];
	struct modzip_info mi;
	char err[256];
	unsigned char *b;
	const char *p;
	size_t i, len;
	int rc;

	for (i = 0; i <= MODZIP_MAX_FILES; i++) {
		snprintf(names[i], sizeof names[i], M "f%06zu.go", i);
		f[i].name = names[i];
		f[i].data = "package m\n";
		f[i].store = 1;
	}
	p = mkzip(f, 70000);
	b = slurp(p, &len);
	ok(len > 98 && memcmp(b + len - 98, "PK\6\6", 4) == 0, "the zip has a zip64 end record");
	free(b);
	rc = modzip_check(p, &mi, err, sizeof err);
	is_int(rc, 0, "70000 entries (zip64 end record) accepted");
	if (rc != 0)
		printf("#   reason: %s\n", err);
	is_int(mi.nfiles, 70000, "70000 files counted");
	modzip_info_free(&mi);
	refused("too many entries", mkzip(f, MODZIP_MAX_FILES + 1), "too many entries in zip (100001; limit is 100000)");
}

static void test_gomod(void)
{
	static const struct zf mismatch[] = { { M "go.mod", "module example.com/other\n", 0, 0 } };
	static const struct zf nomodule[] = { { M "go.mod", "go 1.19\n", 0, 0 } };
	static const struct zf backq[] = { { M "go.mod", "module `example.com/m`\n", 0, 0 } };
	static const struct zf block[] = { { M "go.mod", "// m\nmodule (\n\t\"example.com/m\" // c\n)\n\ngo 1.19\n", 0, 0 } };
	/* the go command reads "example.com/m\x00z" and refuses the module
	 * (found by tests/fuzz/fuzz-gomod.c; the parser is tested in t-gomod.c) */
	static const struct zf nul[] = { { M "go.mod", "module \"example.com/m\\x00z\"\n", 0, 0 } };

	refused_zip("go.mod for another module", mismatch, N(mismatch),
	            "go.mod says module \"example.com/other\", zip is for \"example.com/m\"");
	refused_zip("go.mod without module directive", nomodule, N(nomodule), "go.mod has no valid module directive");
	refused_zip("go.mod with a backquoted path", backq, N(backq), "go.mod has no valid module directive");
	refused_zip("go.mod path with an escaped NUL", nul, N(nul), "go.mod has no valid module directive");
	{
		struct modzip_info mi;
		char err[256];
		is_int(check(mkzip(block, N(block)), &mi, err, sizeof err), 0, "go.mod with a module block accepted");
	}
}

/* The pieces modzip_check is made of (fold.c, utf8.c), directly. */
static void test_parts(void)
{
	char q[2 * QUOTE_MAX], big[1000];
	size_t len;
	char *f;

	is_int(fold_rune('A'), 'a', "fold: A to a");
	is_int(fold_rune('a'), 'a', "fold: a stays");
	is_int(fold_rune(0x212A), 'k', "fold: KELVIN SIGN to k");
	is_int(fold_rune(0x017F), 's', "fold: LONG S to s");
	/* the orbit {U+03A3, U+03C2, U+03C3} folds to its smallest rune */
	is_int(fold_rune(0x03C2), 0x03A3, "fold: final sigma to capital sigma");
	is_int(fold_rune(0x03C3), 0x03A3, "fold: sigma to capital sigma");
	is_int(fold_rune(0x03A3), 0x03A3, "fold: capital sigma stays");
	is_int(fold_rune(0x1E921), 0x1E921, "fold: ADLAM CAPITAL SHA stays");
	is_int(fold_rune(0x1E943), 0x1E921, "fold: ADLAM SMALL SHA to capital");
	f = fold_str("A\xe2\x84\xaa\xff", 5, &len);
	ok(f != NULL && len == 5 && memcmp(f, "ak\xef\xbf\xbd", 5) == 0, "fold_str: A, Kelvin, a stray byte as U+FFFD");
	free(f);

	is_int(utf8_decode((const unsigned char *)"\xc0\x80", 2, &len), 0xFFFD, "utf8: overlong NUL is U+FFFD");
	is_int(len, 1, "utf8: of length 1");
	is_int(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &len), 0xFFFD, "utf8: a surrogate is U+FFFD");
	is_int(utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &len), 0x1F600, "utf8: four bytes");
	is_int(len, 4, "utf8: of length 4");
	is_int(utf8_decode((const unsigned char *)"\xf0\x9f\x98", 3, &len), 0xFFFD, "utf8: truncated");
	is_str(utf8_quote("a\"\\\n\x01\xff\xc3\xa9", 8, q, sizeof q), "\"a\\\"\\\\\\n\\x01\\xff\xc3\xa9\"",
	       "quote: Go %%q escapes, UTF-8 kept");
	memset(big, 'x', sizeof big);
	utf8_quote(big, sizeof big, q, sizeof q);
	ok(strlen(q) < sizeof q && strcmp(q + strlen(q) - 4, "...\"") == 0, "quote: a long name is cut with ...");
	ok(!rune_is_print(0x00A0) && !rune_is_print(0x200B) && rune_is_print(0x00E9) && !rune_is_print(0x7F),
	   "is_print: NBSP, ZWSP and DEL are not printable, e-acute is");
}

/* What go1.19.8's x/mod dirhash.HashZip printed for the zips zipcraft.pl
 * writes (tests/oracle/h1zip): the same two files in four layouts, the
 * go.mod-only zips in three, and the two halves of the attack. */
static const struct {
	const char *zip, *h1;
} go_h1[] = {
	{ "ok-plain.zip", "h1:SXy42eQ/QbleX7vtuAPFnaM3tNuQnfeo7rulG/p7iOw=" },
	{ "ok-descriptor.zip", "h1:SXy42eQ/QbleX7vtuAPFnaM3tNuQnfeo7rulG/p7iOw=" },
	{ "ok-zip64-end.zip", "h1:SXy42eQ/QbleX7vtuAPFnaM3tNuQnfeo7rulG/p7iOw=" },
	{ "ok-descriptor-nosig.zip", "h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=" },
	{ "ok-descriptor-usize.zip", "h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=" },
	{ "ok-zip64-local.zip", "h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=" },
	{ "two-eocd-go.zip", "h1:qcNP2mfiVeD+xc5d5qpcZse2hqLWJEQJJDtBml6LR8w=" },
	{ "two-eocd-libzip.zip", "h1:Z9TZMfVq1uiZrhCsRMHC/20LObnjnPtFj5yKYRiGNy8=" },
};

static const char *go_h1_of(const char *zip)
{
	size_t i;

	for (i = 0; i < N(go_h1); i++)
		if (strcmp(go_h1[i].zip, zip) == 0)
			return go_h1[i].h1;
	return NULL;
}

static void crafted_accepted(const char *name, const char *path)
{
	struct modzip_info mi;
	char err[512];
	int rc = modzip_check(path, &mi, err, sizeof err);

	if (!is_int(rc, 0, "%s: accepted", name))
		printf("#   reason: %s\n", err);
	if (rc != 0)
		return;
	if (go_h1_of(name) != NULL)
		is_str(mi.h1_zip, go_h1_of(name), "%s: h1 equals the go command's", name);
	modzip_info_free(&mi);
}

/* libzip's reading of the attack: the a.go of the first end record's
 * directory, not the go command's */
static void libzip_reads_other_data(const char *path)
{
	char buf[64] = "";
	zip_t *za;
	zip_file_t *zf;
	zip_int64_t n = -1;
	int e;

	if ((za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &e)) != NULL &&
	    (zf = zip_fopen(za, M "a.go", 0)) != NULL) {
		n = zip_fread(zf, buf, sizeof buf - 1);
		zip_fclose(zf);
	}
	if (za != NULL)
		zip_discard(za);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "package m // evil\n", "two-eocd.zip: libzip reads the other directory's a.go");
}

/* zipcraft.pl's zips: layouts zip writers make are accepted with the go
 * command's h1; every zip two readers could read differently is refused
 * with its reason. */
static void test_crafted(void)
{
	const char *top = getenv("GOREG_TOP");
	char cmd[512], line[1024], path[sizeof dir + sizeof line + 1];
	FILE *fp;
	int n = 0;

	snprintf(cmd, sizeof cmd, "perl '%s/tests/integration/zipcraft.pl' '%s'", top ? top : ".", dir);
	if ((fp = popen(cmd, "r")) == NULL) {
		printf("Bail out! %s: %s\n", cmd, strerror(errno));
		exit(1);
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		char *verdict = strchr(line, '\t'), *reason;
		line[strcspn(line, "\n")] = '\0';
		if (verdict == NULL)
			continue;
		*verdict++ = '\0';
		reason = strchr(verdict, '\t');
		snprintf(path, sizeof path, "%s/%s", dir, line);
		n++;
		if (strcmp(verdict, "accept") == 0)
			crafted_accepted(line, path);
		else if (reason != NULL)
			refused(line, path, reason + 1);
		if (strcmp(line, "two-eocd.zip") == 0)
			libzip_reads_other_data(path);
	}
	if (pclose(fp) != 0 || n < 30) {
		printf("Bail out! %s failed (%d zips)\n", cmd, n);
		exit(1);
	}
}

/* The file's SHA-256, asked for, read along with the entries (whole
 * blocks of two messages at once, and the rest), is the file's. */
static void file_sum(const char *label, const char *path)
{
	struct modzip_want want = {NULL, NULL, 0, 1};
	struct modzip_info mi;
	unsigned char want_sum[32];
	char err[256];
	size_t len;
	unsigned char *b = slurp(path, &len);
	crypto_hash_sha256(want_sum, b, len);
	free(b);
	int rc = modzip_check_as(path, &want, &mi, err, sizeof err);
	ok(rc == 0 && memcmp(mi.file_sha256, want_sum, 32) == 0, "%s: the file's SHA-256 with the entries'", label);
	if (rc != 0)
		printf("#   reason: %s\n", err);
	modzip_info_free(&mi);
}

static void test_file_sum(void)
{
	static char big[3][300001];
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 3; i++) {
		for (size_t j = 0; j < sizeof big[i] - 1; j++)
			big[i][j] = hex[randombytes_uniform(i == 2 ? 2 : 16)];
		big[i][sizeof big[i] - 1 - i] = 0; /* lengths 300000, 299999, 299998 */
	}
	const struct zf f[] = {
		{ M "go.mod", "module example.com/m\n", 0, 0 },
		{ M "a.bin", big[0], 1, 0 },
		{ M "b.bin", big[1], 0, 0 },
		{ M "c.go", "package m\n", 0, 0 },
		{ M "d.bin", big[2], 0, 0 },
	};
	file_sum("stored and deflated entries of 300 KB", mkzip(f, N(f)));
	file_sum("one small entry", mkzip(f + 3, 1));
}

/* zipwin_get: what it reads ahead, what it reads exactly, where it
 * stops reading ahead, and the bytes it hands back */
static void test_window(void)
{
	static unsigned char b[10000];
	const char *path = zpath();
	const unsigned char *p;
	struct zipwin w;
	size_t i;
	int fd;

	for (i = 0; i < sizeof b; i++)
		b[i] = (unsigned char)(i * 7 + i / 251);
	spew(path, b, sizeof b);
	if ((fd = open(path, O_RDONLY)) < 0 || zipwin_init(&w, fd, 4096, 3 * 4096) != 0) {
		printf("Bail out! window on %s: %s\n", path, strerror(errno));
		exit(1);
	}
	ok(zipwin_get(&w, 0, 30, &p) == 0 && memcmp(p, b, 30) == 0, "window: the first bytes");
	ok(w.off == 0 && w.len == 4096, "window: a read reads ahead (%llu, %zu)", (unsigned long long)w.off, w.len);
	ok(zipwin_get(&w, 1000, 3000, &p) == 0 && memcmp(p, b + 1000, 3000) == 0 && w.off == 0,
	   "window: bytes inside it are not read again");
	ok(zipwin_get(&w, 4000, 200, &p) == 0 && memcmp(p, b + 4000, 200) == 0 && w.off == 4000 && w.len == 4096,
	   "window: bytes running past it read ahead from where asked");
	ok(zipwin_get(&w, 100, 50, &p) == 0 && memcmp(p, b + 100, 50) == 0 && w.off == 100 && w.len == 50,
	   "window: bytes before it read exactly");
	ok(zipwin_get(&w, 9000, 1000, &p) == 0 && memcmp(p, b + 9000, 1000) == 0 && w.len == 1000,
	   "window: reading ahead stops at the end of the file");
	is_int(zipwin_get(&w, 9990, 11, &p), 1, "window: bytes past the end of the file");
	is_int(zipwin_get(&w, 0, 4097, &p), -1, "window: more than it holds is an error");
	zipwin_free(&w);
	/* an allowance of 5000 bytes: two reads ahead, then none */
	if (zipwin_init(&w, fd, 4096, 5000) != 0) {
		printf("Bail out! window: out of memory\n");
		exit(1);
	}
	ok(zipwin_get(&w, 0, 10, &p) == 0 && w.len == 4096, "window: read ahead");
	ok(zipwin_get(&w, 5000, 10, &p) == 0 && w.len == 4096, "window: read ahead within its allowance");
	ok(zipwin_get(&w, 9500, 10, &p) == 0 && memcmp(p, b + 9500, 10) == 0 && w.len == 10,
	   "window: past its allowance it reads exactly");
	zipwin_free(&w);
	close(fd);
}

/* Rewrite the central directory of the zip at path (no zip64, no
 * comment) with its n headers in the order given. */
static void reorder_cdir(const char *path, const size_t *order, size_t n)
{
	size_t len, i, at, cdoff, cdsize, hdr[16], hlen[16];
	unsigned char *b = slurp(path, &len), *cd;

	cdsize = get16(b + len - 10) | (size_t)get16(b + len - 8) << 16;
	cdoff = get16(b + len - 6) | (size_t)get16(b + len - 4) << 16;
	if (n > 16 || get16(b + len - 12) != n || (cd = malloc(cdsize)) == NULL) {
		printf("Bail out! reorder_cdir %s\n", path);
		exit(1);
	}
	for (i = 0, at = cdoff; i < n; at += hlen[i], i++) {
		hdr[i] = at;
		hlen[i] = 46 + (size_t)get16(b + at + 28) + get16(b + at + 30) + get16(b + at + 32);
	}
	for (i = 0, at = 0; i < n; at += hlen[order[i]], i++)
		memcpy(cd + at, b + hdr[order[i]], hlen[order[i]]);
	memcpy(b + cdoff, cd, cdsize);
	spew(path, b, len);
	free(cd);
	free(b);
}

/* Entries read in an order other than the file's (the central directory
 * reordered) read ahead less but hash the same. */
static void test_order(void)
{
	static char big[2][300001];
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 2; i++) {
		for (size_t j = 0; j < sizeof big[i] - 1; j++)
			big[i][j] = hex[randombytes_uniform(16)];
	}
	const struct zf f[] = {
		{ M "go.mod", "module example.com/m\n", 0, 0 },
		{ M "a.bin", big[0], 1, 0 },
		{ M "b.bin", big[1], 0, 0 },
		{ M "c.go", "package m\n", 0, 0 },
		{ M "d.go", "package m\n\nconst D = 1\n", 0, 0 },
	};
	static const size_t reversed[] = { 4, 3, 2, 1, 0 }, alternate[] = { 0, 4, 1, 3, 2 };
	const size_t *orders[] = { reversed, alternate };
	struct modzip_info mi, mi2;
	char err[256], h1[sizeof mi.h1_zip];
	const char *path = mkzip(f, N(f));
	int rc = modzip_check(path, &mi, err, sizeof err);

	is_int(rc, 0, "order: the zip in file order accepted");
	snprintf(h1, sizeof h1, "%s", mi.h1_zip);
	modzip_info_free(&mi);
	for (size_t k = 0; k < N(orders); k++) {
		reorder_cdir(path, orders[k], N(f));
		rc = modzip_check(path, &mi2, err, sizeof err);
		ok(rc == 0 && strcmp(mi2.h1_zip, h1) == 0 && mi2.nfiles == 5 && mi2.gomod_len == 21,
		   "order %zu: the same zip, its directory in another order, hashes the same", k);
		if (rc != 0)
			printf("#   reason: %s\n", err);
		modzip_info_free(&mi2);
	}
}

int main(void)
{
	char cmd[128];

	snprintf(dir, sizeof dir, "%s", "/tmp/t-modzip.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_parts();
	test_valid();
	test_prefix_and_version();
	test_names();
	test_patched();
	test_not_zips();
	test_gomod();
	test_many();
	test_file_sum();
	test_window();
	test_order();
	test_crafted();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}
