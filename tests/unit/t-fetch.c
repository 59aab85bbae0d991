/* lib/app/fetch.c: the pull-through cache's rules, with a fake HTTP
 * client that serves a table of URLs and records what was asked.  The
 * GOPROXY list's fall-through (',' on 404/410 only, '|' on any failure),
 * the modules never asked upstream (private patterns, the owner's own
 * uploads), size caps, a .info for another version, and that a version
 * is fetched once and recorded as coming from upstream. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <tdb.h>

#include "app/fetch.h"
#include "app/ops.h"
#include "auth/auth.h"
#include "base/util.h"
#include "gomod/modpack.h"
#include "store/store.h"
#include "upstream/upstream.h"
#include "tap.h"
#include "tstore.h"

static char dir[64], root[128], err[600];
static struct store st;

struct route_ { const char *url; int status; const char *file; };
static struct route_ routes[16];
static int nroutes;
static char asked[4096];

static void serve(const char *url, int status, const char *file)
{
	routes[nroutes++] = (struct route_){url, status, file};
}

static int fake_get(void *ctx, const char *url, int fd, char **mem, size_t *memlen, long long max, char *e,
                    size_t esz)
{
	strcat(asked, url);
	strcat(asked, " ");
	for (int i = 0; i < nroutes; i++) {
		if (strcmp(routes[i].url, url) != 0)
			continue;
		if (routes[i].status != 200)
			return routes[i].status;
		char *data;
		size_t len;
		if (read_file(routes[i].file, 1 << 24, &data, &len) < 0)
			return errset(e, esz, 0, "cannot read %s", routes[i].file);
		if ((long long)len > max) {
			free(data);
			return -1;
		}
		if (fd >= 0) {
			write_all(fd, data, len);
			free(data);
		} else {
			*mem = data;
			*memlen = len;
		}
		return 200;
	}
	return errset(e, esz, 0, "%s: connection refused", url);
}

static const struct fetch_client client = {fake_get, NULL};

static void put(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, strlen(data)) < 0 || close(fd) < 0) {
		printf("Bail out! %s\n", path);
		exit(1);
	}
}

/* module@version's zip and .info under the fake upstream's files */
static const char *files(const char *module, const char *version, char *info, size_t infosz)
{
	static char zip[256];
	char src[256], p[300];
	snprintf(src, sizeof src, "%s/src-%s", dir, version);
	mkdir(src, 0755);
	snprintf(p, sizeof p, "%s/go.mod", src);
	char gomod[256];
	snprintf(gomod, sizeof gomod, "module %s\n", module);
	put(p, gomod);
	snprintf(p, sizeof p, "%s/a.go", src);
	put(p, "package a\n");
	snprintf(zip, sizeof zip, "%s/%s.zip", dir, version);
	if (modpack_create(module, version, src, zip, err, sizeof err) != 0) {
		printf("Bail out! modpack: %s\n", err);
		exit(1);
	}
	snprintf(info, infosz, "%s/%s.info", dir, version);
	char json[256];
	snprintf(json, sizeof json, "{\"Version\":\"%s\",\"Time\":\"2023-01-02T03:04:05Z\"}", version);
	put(info, json);
	return zip;
}

/* Set (or with NULL clear) acme's upstream in another process, as
 * goreg-admin would while kept is open here: its exit status. */
static int elsewhere(struct store *kept, const char *proxy)
{
	pid_t p = fork();
	if (p == 0) {
		store_cache_close(kept); /* this process's copy of the handle */
		int code = proxy ? upstream_set_proxy(&st, "acme", proxy, err, sizeof err)
		                 : upstream_clear(&st, "acme", err, sizeof err);
		_exit(code == 200 ? 0 : 1);
	}
	int status = -1;
	waitpid(p, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void)
{
	tstore_make("t-fetch", dir, sizeof dir, root, sizeof root, &st, "acme");
	struct upstream u;
	is_int(fetch_eligible(&st, "acme", "example.com/m", &u, err, sizeof err), 404, "no upstream: not eligible");
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.0.0", &client, 100, err, sizeof err), 404,
	       "no upstream: 404");
	is_str(asked, "", "and nothing asked");

	/* upstream_none: goreg.tdb's mark, read per request through a kept
	 * handle that sees another process's change on its next request */
	struct store kept = st;
	struct store_cache c = {0};
	kept.cache = &c;
	store_cache_request(&c, 0);
	is_int(upstream_none(&kept), 1, "upstream_none: no owner has an upstream");
	store_cache_request(&c, 0);
	is_int(upstream_none(&kept), 1, "  again, through the kept goreg.tdb");
	is_int(elsewhere(&kept, "https://a.example"), 0, "  another process sets an upstream");
	store_cache_request(&c, 0);
	is_int(upstream_none(&kept), 0, "  the next request sees it");
	is_int(elsewhere(&kept, NULL), 0, "  another clears it");
	store_cache_request(&c, 0);
	is_int(upstream_none(&kept), 1, "  the next request sees that too");
	store_cache_close(&kept);
	upstream_set_proxy(&st, "acme", "https://a.example,https://b.example/go/|https://c.example", err, sizeof err);
	is_int(upstream_none(&st), 0, "upstream_none: 0 once set, without a kept handle too");
	is_int(upstream_any(&st), 1, "upstream_any: 1 by the mark");
	/* a goreg.tdb not written since the mark was kept: any from the
	 * records themselves, none never said */
	char gpath[600];
	snprintf(gpath, sizeof gpath, "%s/goreg.tdb", root);
	struct tdb_context *g = tdb_open(gpath, 0, TDB_DEFAULT, O_RDWR, 0);
	TDB_DATA mk = {(unsigned char *)"upstream-any", 12};
	ok(g && tdb_delete(g, mk) == 0, "the mark removed by hand");
	if (g)
		tdb_close(g);
	is_int(upstream_any(&st), 1, "upstream_any: unmarked, 1 from the upstream record");
	is_int(upstream_none(&st), 0, "upstream_none: unmarked, 0");
	upstream_set_private(&st, "acme", "corp.example", err, sizeof err);
	char info[256], info2[256], info3[256];
	const char *zip = files("example.com/m", "v1.0.0", info, sizeof info);
	char zip1[256];
	snprintf(zip1, sizeof zip1, "%s", zip);
	serve("https://a.example/example.com/m/@v/v1.0.0.info", 404, NULL);
	serve("https://b.example/go/example.com/m/@v/v1.0.0.info", 200, info);
	serve("https://b.example/go/example.com/m/@v/v1.0.0.zip", 200, zip1);
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.0.0", &client, 100, err, sizeof err), 201,
	       "fetched after the first entry's 404 (%s)", err);
	is_str(asked, "https://a.example/example.com/m/@v/v1.0.0.info https://b.example/go/example.com/m/@v/v1.0.0.info "
	       "https://b.example/go/example.com/m/@v/v1.0.0.zip ", "a's 404 fell through to b (trailing slash dropped)");
	struct verinfo vi;
	is_int(store_get(&st, "acme", "example.com/m", "v1.0.0", &vi, err, sizeof err), 200, "published");
	is_str(vi.source, "upstream", "recorded as from upstream");
	is_int(vi.time, 1672628645, "with the upstream .info's time");
	asked[0] = 0;
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.0.0", &client, 100, err, sizeof err), 200,
	       "a second fetch: present");
	is_str(asked, "", "and nothing asked again");

	/* ',' stops on a failure that is not 404/410; '|' goes on */
	const char *z2 = files("example.com/m", "v1.1.0", info2, sizeof info2);
	char zip2[256];
	snprintf(zip2, sizeof zip2, "%s", z2);
	serve("https://a.example/example.com/m/@v/v1.1.0.info", 503, NULL);
	asked[0] = 0;
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.1.0", &client, 100, err, sizeof err), 502,
	       "a 503 after ',': 502, no fall-through");
	is_str(asked, "https://a.example/example.com/m/@v/v1.1.0.info ", "b was not asked");
	upstream_set_proxy(&st, "acme", "https://a.example|https://b.example/go", err, sizeof err);
	serve("https://b.example/go/example.com/m/@v/v1.1.0.info", 200, info2);
	serve("https://b.example/go/example.com/m/@v/v1.1.0.zip", 200, zip2);
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.1.0", &client, 100, err, sizeof err), 201,
	       "after '|' the next is tried on any failure (%s)", err);

	/* a .info that names another version, and a zip of another version */
	files("example.com/m", "v1.2.0", info3, sizeof info3);
	serve("https://a.example/example.com/m/@v/v1.2.0.info", 200, info);     /* v1.0.0's */
	serve("https://b.example/go/example.com/m/@v/v1.2.0.info", 404, NULL);
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.2.0", &client, 100, err, sizeof err), 400,
	       "a .info of another version: refused");
	ok(strstr(err, "not the .info of v1.2.0") != NULL, "saying so (%s)", err);
	routes[nroutes - 2].file = info3;
	serve("https://a.example/example.com/m/@v/v1.2.0.zip", 200, zip1);       /* v1.0.0's zip */
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.2.0", &client, 100, err, sizeof err), 400,
	       "a zip of another version: refused as an upload would be");
	ok(strstr(err, "the zip holds") != NULL, "saying so (%s)", err);
	is_int(store_get(&st, "acme", "example.com/m", "v1.2.0", &vi, err, sizeof err), 404, "nothing published");
	is_int(tstore_spooled(root, "f."), 0, "no spool file left behind");

	/* never asked upstream: private patterns, and the owner's own module */
	asked[0] = 0;
	is_int(fetch_version(&st, "acme", "corp.example/x", "v1.0.0", &client, 100, err, sizeof err), 404,
	       "a private module: 404");
	is_int(fetch_version(&st, "acme", "corp.example/x/y", "v1.0.0", &client, 100, err, sizeof err), 404,
	       "below a private prefix: 404");
	char info4[256];
	const char *own = files("example.com/own", "v1.0.0", info4, sizeof info4);
	int fd = open(own, O_RDONLY);
	struct fd_body fb = {fd};
	struct body_source bs = fd_body_source(&fb);
	struct actor who = {"acme", "test"};
	struct op_args a = {.owner = "acme", .body = &bs, .declared_len = -1, .who = &who, .now = 1, .published = 1};
	struct reply r;
	reply_init(&r);
	ops_upload(&st, &a, &r);
	close(fd);
	is_int(r.status, 201, "the owner uploads example.com/own v1.0.0");
	reply_free(&r);
	is_int(fetch_version(&st, "acme", "example.com/own", "v1.1.0", &client, 100, err, sizeof err), 404,
	       "another version of the owner's own module: never asked upstream");
	ok(strstr(err, "the owner's own module") != NULL, "saying why (%s)", err);
	/* nor a path below it: the go command asks for every prefix of a
	 * package's path, and a new major version or a nested module of the
	 * owner's own is the owner's too */
	is_int(fetch_version(&st, "acme", "example.com/own/v2", "v2.0.0", &client, 100, err, sizeof err), 404,
	       "a module below the owner's own: never asked upstream");
	ok(strstr(err, "below the owner's own module example.com/own") != NULL, "saying why (%s)", err);
	is_int(fetch_list(&st, "acme", "example.com/own/sub/pkg", &client, 100, err, sizeof err), 404,
	       "nor its list");
	is_int(fetch_eligible(&st, "acme", "example.com/ownx", &u, err, sizeof err), 200,
	       "a path beside it is not below it");
	is_str(asked, "", "nothing was asked for any of them");

	/* caps: a body over the cap keeps nothing */
	upstream_set_proxy(&st, "acme", "https://a.example", err, sizeof err);
	char big[256];
	snprintf(big, sizeof big, "%s/big.info", dir);
	char *blob = malloc((1 << 20) + 10);
	memset(blob, ' ', (1 << 20) + 9);
	blob[(1 << 20) + 9] = 0;
	put(big, blob);
	free(blob);
	serve("https://a.example/example.com/m/@v/v1.3.0.info", 200, big);
	is_int(fetch_version(&st, "acme", "example.com/m", "v1.3.0", &client, 100, err, sizeof err), 400,
	       "a .info over its cap: refused");
	ok(strstr(err, "larger than") != NULL, "saying so (%s)", err);

	/* a module with no tag: an empty list, and the upstream's @latest
	 * (the latest commit's pseudo-version) kept as its list */
	nroutes = 0;
	char empty[256], latest[256], junk[256], **v = NULL;
	size_t n = 0;
	int64_t when;
	snprintf(empty, sizeof empty, "%s/empty.list", dir);
	snprintf(latest, sizeof latest, "%s/latest.info", dir);
	snprintf(junk, sizeof junk, "%s/junk.info", dir);
	put(empty, "");
	put(latest, "{\"Version\":\"v0.0.0-20230506070809-abcdefabcdef\",\"Time\":\"2023-05-06T07:08:09Z\"}\n");
	put(junk, "{\"Version\":\"master\"}\n");
	serve("https://a.example/example.com/untagged/@v/list", 200, empty);
	serve("https://a.example/example.com/untagged/@latest", 200, latest);
	asked[0] = 0;
	is_int(fetch_list(&st, "acme", "example.com/untagged", &client, 100, err, sizeof err), 200,
	       "an empty list: fetched");
	ok(strstr(asked, "example.com/untagged/@latest") != NULL, "  and @latest asked (%s)", asked);
	is_int(store_ulist_get(&st, "acme", "example.com/untagged", &when, &v, &n, err, sizeof err), 200,
	       "  the cached list");
	ok(n == 1 && strcmp(v[0], "v0.0.0-20230506070809-abcdefabcdef") == 0, "  is @latest's pseudo-version");
	store_list_free(v, n);
	serve("https://a.example/example.com/junk/@v/list", 200, empty);
	serve("https://a.example/example.com/junk/@latest", 200, junk);
	is_int(fetch_list(&st, "acme", "example.com/junk", &client, 100, err, sizeof err), 200,
	       "an empty list and an @latest naming no canonical version: fetched");
	is_int(store_ulist_get(&st, "acme", "example.com/junk", &when, &v, &n, err, sizeof err), 200, "  the cached list");
	is_int((int)n, 0, "  is empty");
	store_list_free(v, n);
	serve("https://a.example/example.com/gone/@v/list", 200, empty);
	serve("https://a.example/example.com/gone/@latest", 404, NULL);
	is_int(fetch_list(&st, "acme", "example.com/gone", &client, 100, err, sizeof err), 200,
	       "an empty list and no @latest: fetched, empty");
	asked[0] = 0;
	serve("https://a.example/example.com/tagged/@v/list", 200, big);
	put(big, "v1.0.0\n");
	is_int(fetch_list(&st, "acme", "example.com/tagged", &client, 100, err, sizeof err), 200, "a list with a tag");
	ok(strstr(asked, "@latest") == NULL, "  asks no @latest (%s)", asked);

	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return done_testing();
}
