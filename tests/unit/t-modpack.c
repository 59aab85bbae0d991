/* modpack_create: source trees are built at run time in a mkdtemp
 * directory, packed, and read back with libzip.  The expected file sets
 * and order follow golang.org/x/mod/zip CreateFromDir (listFilesInDir,
 * checkFiles, isVendoredPackage). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "base/limits.h"
#include "gomod/modpack.h"
#include "tap.h"
#include "base/util.h"

static char top[256];
static int ntree;
static char err[1024];

static void bail(const char *what, const char *path)
{
	printf("Bail out! %s '%s': %s\n", what, path, strerror(errno));
	exit(1);
}

/* a fresh empty directory under top */
static const char *newdir(const char *tag)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%02d-%s", top, ++ntree, tag);
	if (mkdir(p, 0755) != 0)
		bail("mkdir", p);
	return p;
}

static void parents(const char *path)
{
	char d[1024];
	char *s;
	snprintf(d, sizeof d, "%s", path);
	if ((s = strrchr(d, '/')) != NULL) {
		*s = '\0';
		if (mkdir_p(d, 0755) != 0)
			bail("mkdir -p", d);
	}
}

static void put(const char *root, const char *rel, const char *data)
{
	char p[1024];
	int fd;
	snprintf(p, sizeof p, "%s/%s", root, rel);
	parents(p);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write_all(fd, data, strlen(data)) != 0 || close(fd) != 0)
		bail("write", p);
}

/* a sparse file of the given size: no disk space, any size */
static void sparse(const char *root, const char *rel, long long size)
{
	char p[1024];
	int fd;
	snprintf(p, sizeof p, "%s/%s", root, rel);
	parents(p);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    ftruncate(fd, (off_t)size) != 0 || close(fd) != 0)
		bail("ftruncate", p);
}

static void symlink_at(const char *root, const char *target, const char *rel)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	parents(p);
	if (symlink(target, p) != 0)
		bail("symlink", p);
}

/* top/name, in one of 8 rotating buffers (callers hold a few at once) */
static const char *outpath(const char *name)
{
	static char p[8][512];
	static int k;
	k = (k + 1) % 8;
	snprintf(p[k], sizeof p[k], "%s/%s", top, name);
	return p[k];
}

/* the entry names of a zip, one a line ("" if it does not open) */
static char *names(const char *zippath)
{
	static char s[8192];
	zip_t *za;
	zip_int64_t i, n;
	int e;

	s[0] = '\0';
	if ((za = zip_open(zippath, ZIP_RDONLY | ZIP_CHECKCONS, &e)) == NULL)
		return s;
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n; i++) {
		size_t l = strlen(s);
		snprintf(s + l, sizeof s - l, "%s%s", i ? "\n" : "", zip_get_name(za, (zip_uint64_t)i, 0));
	}
	zip_discard(za);
	return s;
}

/* the content of one entry ("" if absent) */
static char *content(const char *zippath, const char *name)
{
	static char s[4096];
	zip_t *za;
	zip_file_t *zf;
	zip_int64_t r = 0;
	int e;

	s[0] = '\0';
	if ((za = zip_open(zippath, ZIP_RDONLY, &e)) == NULL)
		return s;
	if ((zf = zip_fopen(za, name, 0)) != NULL) {
		r = zip_fread(zf, s, sizeof s - 1);
		zip_fclose(zf);
	}
	s[r > 0 ? r : 0] = '\0';
	zip_discard(za);
	return s;
}

/* every entry deflated, dated 1980-01-01 00:00, MS-DOS with no mode */
static int entries_plain(const char *zippath)
{
	zip_t *za;
	zip_int64_t i, n;
	int e, good = 1;

	if ((za = zip_open(zippath, ZIP_RDONLY, &e)) == NULL)
		return 0;
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n && good; i++) {
		zip_stat_t st;
		zip_uint8_t os;
		zip_uint32_t attr;
		struct tm tm;
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
		    zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &os, &attr) != 0) {
			good = 0;
			break;
		}
		localtime_r(&st.mtime, &tm);
		good = st.comp_method == ZIP_CM_DEFLATE && os == ZIP_OPSYS_DOS && attr == 0 &&
		       tm.tm_year == 80 && tm.tm_mon == 0 && tm.tm_mday == 1 &&
		       tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0;
	}
	zip_discard(za);
	return good;
}

static int same_bytes(const char *a, const char *b)
{
	char *da, *db;
	size_t la, lb;
	int same;

	if (read_file(a, 1 << 20, &da, &la) != 0)
		return 0;
	if (read_file(b, 1 << 20, &db, &lb) != 0) {
		free(da);
		return 0;
	}
	same = la == lb && memcmp(da, db, la) == 0;
	free(da);
	free(db);
	return same;
}

static int entries_in(const char *dir)
{
	char cmd[600];
	FILE *p;
	int n = -1;
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/* pack and expect refusal code want with a reason containing frag */
static void refuses(const char *module, const char *version, const char *dir, int want,
                    const char *frag, const char *what)
{
	const char *out = outpath("refused.zip");
	int rc = modpack_create(module, version, dir, out, err, sizeof err);
	is_int(rc, want, "%s: refused with %d", what, want);
	ok(strstr(err, frag) != NULL, "%s: reason says '%s'", what, frag);
	if (strstr(err, frag) == NULL)
		printf("#   reason: %s\n", err);
	ok(access(out, F_OK) != 0, "%s: no output file", what);
}

static int rm_one(const char *p, const struct stat *sb, int type, struct FTW *f)
{
	(void)sb;
	(void)type;
	(void)f;
	return remove(p);
}

static void test_tree(void)
{
	const char *d = newdir("tree"), *out = outpath("tree.zip"), *out2 = outpath("tree2.zip");
	const char *P = "example.com/Foo/bar@v1.2.3/";
	char want[4096];
	int rc;

	put(d, "go.mod", "module example.com/Foo/bar\n\ngo 1.19\n");
	put(d, "bar.go", "package bar\n");
	put(d, "a.go", "package bar\n");
	put(d, "a/b.go", "package a\n");
	put(d, "LICENSE", "licence\n");
	put(d, "empty.txt", "");
	put(d, "caf\xc3\xa9.txt", "unicode\n");
	put(d, "sub/deep/x.go", "package deep\n");
	/* VCS directories, at the top and deeper */
	put(d, ".git/config", "[core]\n");
	put(d, ".git/a:b", "bad name inside .git does not matter\n");
	put(d, "sub/.svn/entries", "x\n");
	put(d, "sub/.hg/store", "x\n");
	put(d, ".bzr/x", "x\n");
	put(d, ".gitignore", "*.o\n");   /* a file, not a VCS directory */
	/* another module in a subdirectory, and one whose go.mod is only
	 * "go.mod" under case folding: both left out */
	put(d, "inner/go.mod", "module example.com/Foo/bar/inner\n");
	put(d, "inner/i.go", "package inner\n");
	put(d, "inner/bad:name.go", "x\n");
	put(d, "other/GO.MOD", "module example.com/Foo/bar/other\n");
	put(d, "other/o.go", "package other\n");
	/* vendored packages go, top-level vendor files stay */
	put(d, "vendor/modules.txt", "# example.com/v v1.0.0\n");
	put(d, "vendor/top.go", "package vendor\n");
	put(d, "vendor/example.com/v/v.go", "package v\n");
	put(d, "sub/vendor/y.go", "package y\n");   /* x/mod's golang.org/issue/31562 */
	/* hg archive's file at the root only */
	put(d, ".hg_archival.txt", "repo: x\n");
	put(d, "sub/.hg_archival.txt", "kept\n");
	/* symbolic links and other irregular files */
	symlink_at(d, "bar.go", "link.go");
	symlink_at(d, "sub", "dirlink");
	symlink_at(d, "/nonexistent", "dangling");
	{
		char f[600];
		snprintf(f, sizeof f, "%s/fifo", d);
		if (mkfifo(f, 0644) != 0)
			bail("mkfifo", f);
	}

	rc = modpack_create("example.com/Foo/bar", "v1.2.3", d, out, err, sizeof err);
	is_int(rc, 0, "tree packs");
	if (rc != 0)
		printf("#   reason: %s\n", err);
	/* filepath.Walk order: each directory sorted by name, so "a/b.go"
	 * (in "a") comes before "a.go" */
	snprintf(want, sizeof want,
	         "%s.gitignore\n%sLICENSE\n%sa/b.go\n%sa.go\n%sbar.go\n%scaf\xc3\xa9.txt\n"
	         "%sempty.txt\n%sgo.mod\n%ssub/.hg_archival.txt\n%ssub/deep/x.go\n"
	         "%svendor/modules.txt\n%svendor/top.go",
	         P, P, P, P, P, P, P, P, P, P, P, P);
	is_str(names(out), want, "entries: prefix, walk order, exclusions");
	is_str(content(out, "example.com/Foo/bar@v1.2.3/go.mod"), "module example.com/Foo/bar\n\ngo 1.19\n",
	       "go.mod content read back");
	is_str(content(out, "example.com/Foo/bar@v1.2.3/a/b.go"), "package a\n", "a/b.go content read back");
	ok(entries_plain(out), "entries deflated, 1980-01-01 00:00, no file mode");
	is_int(entries_in(top), 2, "no temp files left beside the output");

	/* reproducible: new mtimes and a second run give the same bytes */
	{
		char f[600];
		snprintf(f, sizeof f, "%s/bar.go", d);
		utimensat(AT_FDCWD, f, (struct timespec[2]){ { 1000000000, 0 }, { 1000000000, 0 } }, 0);
	}
	rc = modpack_create("example.com/Foo/bar", "v1.2.3", d, out2, err, sizeof err);
	is_int(rc, 0, "second pack");
	ok(same_bytes(out, out2), "same tree, same zip bytes (mtimes ignored)");

	/* to a descriptor: the same bytes */
	{
		const char *o3 = outpath("tree3.zip");
		int fd = open(o3, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		rc = modpack_create_fd("example.com/Foo/bar", "v1.2.3", d, fd, err, sizeof err);
		close(fd);
		is_int(rc, 0, "pack to a descriptor");
		ok(same_bytes(out, o3), "descriptor output is the same zip");
		unlink(o3);
	}

	/* a trailing slash on dir changes nothing; a symlink as dir is followed */
	{
		char slash[600], link[600];
		snprintf(slash, sizeof slash, "%s/", d);
		rc = modpack_create("example.com/Foo/bar", "v1.2.3", slash, out2, err, sizeof err);
		ok(rc == 0 && same_bytes(out, out2), "dir with a trailing slash");
		snprintf(link, sizeof link, "%s/treelink", top);
		if (symlink(d, link) != 0)
			bail("symlink", link);
		rc = modpack_create("example.com/Foo/bar", "v1.2.3", link, out2, err, sizeof err);
		ok(rc == 0 && same_bytes(out, out2), "a symlink given as dir is followed");
		unlink(link);
	}

	/* an existing output is replaced */
	put(top, "tree2.zip", "old");
	rc = modpack_create("example.com/Foo/bar", "v1.2.3", d, out2, err, sizeof err);
	ok(rc == 0 && same_bytes(out, out2), "an existing output file is replaced");
	unlink(out);
	unlink(out2);
}

static void test_vendored(void)
{
	static const struct { const char *p; int v; } t[] = {
		{"vendor/modules.txt", 0}, {"vendor/a.go", 0}, {"vendor/a/b.go", 1},
		{"vendor/a/b/c.go", 1}, {"vendor", 0}, {"vendorx/a/b.go", 0},
		{"x/vendor/y.go", 1},           /* the offset bug: "/y.go" has a slash */
		{"x/vendor/y/z.go", 1}, {"abcdefg/vendor/y.go", 1}, {"a/b/c.go", 0},
		{"x/vendor", 0}, {"a.go", 0}, {"abcdefgh/vendor/", 1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(modpack_is_vendored(t[i].p), t[i].v, "isVendoredPackage(%s)", t[i].p);
}

static void test_refusals(void)
{
	const char *d;

	d = newdir("good");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "m.go", "package m\n");
	refuses("example.com/m", "v1.0", d, 1, "invalid module", "non-canonical version");
	refuses("example.com/m", "1.0.0", d, 1, "invalid module", "version without v");
	refuses("example.com/m", "v1.0.0+meta", d, 1, "invalid module", "version with build metadata");
	refuses("example.com/m", "v2.0.0", d, 1, "invalid module", "v2 without /v2");
	refuses("example.com/m/v2", "v1.0.0", d, 1, "invalid module", "/v2 path with v1");
	refuses("example com/m", "v1.0.0", d, 1, "invalid module", "space in module path");
	refuses("example.com/m", "v1.0.0", outpath("nonexistent"), 1, "unable to open directory", "missing dir");
	{
		char f[600];
		snprintf(f, sizeof f, "%s/m.go", d);
		refuses("example.com/m", "v1.0.0", f, 1, "Not a directory", "dir is a file");
	}

	d = newdir("badname");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "a:b.go", "package m\n");
	refuses("example.com/m", "v1.0.0", d, 1, "invalid file 'a:b.go': malformed file path", "bad file name");

	d = newdir("reserved");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "sub/AUX.go", "package m\n");
	refuses("example.com/m", "v1.0.0", d, 1, "'sub/AUX.go'", "Windows reserved name");

	d = newdir("case");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "a.go", "package m\n");
	put(d, "A.go", "package m\n");
	refuses("example.com/m", "v1.0.0", d, 1, "case-insensitive file name collision: \"A.go\" and \"a.go\"",
	        "case collision");

	d = newdir("casedir");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "Sub/a.go", "package sub\n");
	put(d, "sub/b.go", "package sub\n");
	refuses("example.com/m", "v1.0.0", d, 1, "collision: \"Sub\" and \"sub\"", "directory case collision");

	d = newdir("filedir");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "X/a.go", "package x\n");
	put(d, "x", "file\n");
	refuses("example.com/m", "v1.0.0", d, 1, "collision: \"X\" and \"x\"", "file and directory collide");

	d = newdir("unicodecase");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "\xc3\xa9.txt", "e acute\n");
	put(d, "\xc3\x89.txt", "E acute\n");
	refuses("example.com/m", "v1.0.0", d, 1, "collision", "non-ASCII case collision");

	d = newdir("gomodcase");
	put(d, "GO.MOD", "module example.com/m\n");
	put(d, "m.go", "package m\n");
	refuses("example.com/m", "v1.0.0", d, 1, "go.mod files must have lowercase names", "GO.MOD at the root");

	d = newdir("bigmod");
	sparse(d, "go.mod", MODZIP_MAX_GOMOD + 1);
	put(d, "m.go", "package m\n");
	refuses("example.com/m", "v1.0.0", d, 1, "go.mod file too large", "go.mod over MODZIP_MAX_GOMOD");

	d = newdir("biglicense");
	put(d, "go.mod", "module example.com/m\n");
	sparse(d, "LICENSE", MODZIP_MAX_LICENSE + 1);
	refuses("example.com/m", "v1.0.0", d, 1, "LICENSE file too large", "LICENSE over MODZIP_MAX_LICENSE");

	d = newdir("bigtree");
	put(d, "go.mod", "module example.com/m\n");
	sparse(d, "a.bin", MODZIP_MAX_UNZIPPED / 2);
	sparse(d, "b.bin", MODZIP_MAX_UNZIPPED / 2 + 1);
	refuses("example.com/m", "v1.0.0", d, 1, "module source tree too large", "total over MODZIP_MAX_UNZIPPED");

	d = newdir("empty");
	put(d, ".git/HEAD", "ref\n");
	symlink_at(d, "/etc/passwd", "link");
	refuses("example.com/m", "v1.0.0", d, 1, "no files to pack", "nothing to pack");

	d = newdir("wrongmod");
	put(d, "go.mod", "module example.com/other\n");
	refuses("example.com/m", "v1.0.0", d, 1, "go.mod says module", "go.mod for another module (modzip_check)");

	d = newdir("incompat");
	put(d, "go.mod", "module example.com/m\n");
	refuses("example.com/m", "v2.0.0+incompatible", d, 1, "module contains a go.mod file",
	        "+incompatible with a go.mod");
	d = newdir("incompat-ok");
	put(d, "m.go", "package m\n");
	is_int(modpack_create("example.com/m", "v2.0.0+incompatible", d, outpath("inc.zip"), err, sizeof err), 0,
	       "+incompatible without a go.mod packs");
	is_str(names(outpath("inc.zip")), "example.com/m@v2.0.0+incompatible/m.go", "+incompatible entries");
	unlink(outpath("inc.zip"));

	/* a failed pack leaves an existing output alone */
	d = newdir("keep");
	put(d, "go.mod", "module example.com/m\n");
	put(d, "a.go", "package m\n");
	put(d, "A.go", "package m\n");
	put(top, "keep.zip", "old");
	is_int(modpack_create("example.com/m", "v1.0.0", d, outpath("keep.zip"), err, sizeof err), 1,
	       "failing pack over an existing file");
	{
		char *s;
		size_t n;
		ok(read_file(outpath("keep.zip"), 100, &s, &n) == 0 && n == 3 && memcmp(s, "old", 3) == 0,
		   "existing output untouched");
		free(s);
	}
	unlink(outpath("keep.zip"));
	is_int(entries_in(top), ntree, "no temp files left after failures");
}

/* modpack_select and modpack_create_list_fd: x/mod's Create on a list,
 * in the list's order: no VCS directory skipped, a symbolic link checked
 * as a path then omitted, vendored and nested-module files omitted. */
static void test_list(void)
{
	struct modpack_entry e[] = {
		{.path = "go.mod", .size = 15, .data = "module example.com/m\n"},
		{.path = "m.go", .size = 10, .data = "package m\n"},
		{.path = ".hg/x", .size = 1, .data = "x"},
		{.path = "link.go", .size = 4, .irregular = 1},
		{.path = "vendor/a/b.go", .size = 1, .data = "b"},
		{.path = "vendor/modules.txt", .size = 1, .data = "v"},
		{.path = "inner/GO.MOD", .size = 1, .data = "i"},
		{.path = "inner/i.go", .size = 1, .data = "i"},
		{.path = ".hg_archival.txt", .size = 1, .data = "h"},
	};
	size_t n = sizeof e / sizeof *e;
	e[0].size = (long long)strlen(e[0].data);
	is_int(modpack_select("example.com/m", "v1.0.0", e, n, err, sizeof err), 0, "select: %s", err);
	static const int want[] = {1, 1, 1, 0, 0, 1, 0, 0, 0};
	for (size_t i = 0; i < n; i++)
		is_int(e[i].keep, want[i], "select keeps '%s' as Create does", e[i].path);
	const char *out = outpath("list.zip");
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		bail("open", out);
	/* an entry not kept needs no data */
	e[3].data = NULL;
	e[4].data = NULL;
	is_int(modpack_create_list_fd("example.com/m", "v1.0.0", e, n, fd, err, sizeof err), 0, "list packed: %s", err);
	close(fd);
	is_str(names(out), "example.com/m@v1.0.0/go.mod\nexample.com/m@v1.0.0/m.go\nexample.com/m@v1.0.0/.hg/x\n"
	       "example.com/m@v1.0.0/vendor/modules.txt", "the kept entries, in the list's order");
	is_str(content(out, "example.com/m@v1.0.0/m.go"), "package m\n", "an entry's bytes are the list's");

	/* a symbolic link is still checked: a bad path or a collision refuses */
	struct modpack_entry bad[] = {
		{.path = "go.mod", .size = 21, .data = "module example.com/m\n"},
		{.path = "A.go", .size = 1, .data = "a"},
		{.path = "a.go", .size = 4, .irregular = 1},
	};
	is_int(modpack_select("example.com/m", "v1.0.0", bad, 3, err, sizeof err), 1, "a link colliding with a file");
	bad[2].path = "x:y.go";
	is_int(modpack_select("example.com/m", "v1.0.0", bad, 3, err, sizeof err), 1, "a link with a bad path");
	struct modpack_entry none[] = {{.path = "l", .size = 1, .irregular = 1}};
	is_int(modpack_select("example.com/m", "v1.0.0", none, 1, err, sizeof err), 1, "only a link: nothing to pack");
	is_int(modpack_select("example.com/m", "v2.0.0", e, n, err, sizeof err), 1, "the major checked: %s", err);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(top, sizeof top, "%s/t-modpack.XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(top) == NULL)
		bail("mkdtemp", top);
	test_vendored();
	test_tree();
	test_refusals();
	test_list();
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
