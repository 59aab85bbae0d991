/* The module page: versions, install lines, go.mod, README. */
#include "web/page.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "gomod/modfile.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "upstream/upstream.h"
#include "base/util.h"
#include "web/catalog.h"
#include "web/html.h"
#include "web/readme.h"

struct modpage {
	const struct page_req *pq;
	const char *owner, *module, *latest;
	struct owner_info oi;
	char **v;
	size_t nv;
	struct verinfo lvi;             /* the latest version's record */
	char *gomod;                    /* its go.mod, or NULL */
	struct modfile_notes notes;
	struct sumlog log;              /* the owner's checksum database, if it has one */
	char vkey[NOTE_KEY_MAX + 1];    /* its verifier key, "" for none */
};

static void size_text(struct html *h, uint64_t n)
{
	if (n < 1024)
		html_fmt(h, "%llu\xc2\xa0" "B", (unsigned long long)n);
	else
		html_fmt(h, "%.1f\xc2\xa0KiB", (double)n / 1024);
}

/* where a version came from (its record's source: "" uploaded,
 * "upstream" goreg-fetch, "git" goreg-git), and who put it there */
static void origin(struct html *h, const struct verinfo *vi)
{
	if (strcmp(vi->source, "upstream") == 0) {
		html_raw(h, "fetched from the owner's upstream");
		return;
	}
	if (strcmp(vi->source, "git") == 0)
		html_raw(h, "published from git");
	else if (vi->source[0])
		html_text(h, vi->source);
	else
		html_raw(h, "uploaded");
	if (vi->uploader[0]) {
		html_raw(h, " by ");
		html_text(h, vi->uploader);
	}
}

static void version_row(struct modpage *mp, struct html *h, const char *v)
{
	struct verinfo vi;
	char why[MSG_MAX];
	if (store_get(mp->pq->st, mp->owner, mp->module, v, &vi, why, sizeof why) != 200)
		return;
	const struct modfile_retract *r = modfile_retracted(&mp->notes, v);
	html_raw(h, "<tr><td><code>");
	html_text(h, v);
	html_raw(h, "</code>");
	if (v == mp->latest)
		html_raw(h, " <small class=\"mark\">latest</small>");
	if (r) {
		html_raw(h, " <small class=\"mark retracted\">retracted</small>");
		if (r->why[0]) {
			html_raw(h, "<br><small>");
			html_text(h, r->why);
			html_raw(h, "</small>");
		}
	}
	html_raw(h, "</td><td>");
	page_time(h, vi.time);
	html_raw(h, "</td><td>");
	size_text(h, vi.zip_size);
	html_raw(h, "</td><td class=\"hash\"><code>");
	html_text(h, vi.h1_zip);
	html_raw(h, "</code><br><code>");
	html_text(h, vi.h1_mod);
	html_raw(h, "</code></td><td>");
	origin(h, &vi);
	if (mp->vkey[0]) {
		int64_t id = sumlog_id(&mp->log, mp->module, v);
		if (id >= 0)
			html_fmt(h, "</td><td>record %lld", (long long)id);
		else
			html_raw(h, id == -1 ? "</td><td>not logged" : "</td><td>unreadable");
	}
	html_raw(h, "</td></tr>\n");
}

static void versions_table(struct modpage *mp, struct html *h)
{
	html_fmt(h, "<section>\n<h2>Versions (%zu)</h2>\n<table>\n", mp->nv);
	html_raw(h, "<thead><tr><th>version</th><th>published</th><th>zip</th>"
	            "<th>h1: zip, go.mod</th><th>from</th>");
	html_raw(h, mp->vkey[0] ? "<th>checksum database</th></tr></thead>\n<tbody>\n" : "</tr></thead>\n<tbody>\n");
	for (size_t i = mp->nv; i-- > 0;)
		version_row(mp, h, mp->v[i]);
	html_raw(h, "</tbody>\n</table>\n</section>\n");
}

/* The host of the base URL, for .netrc's "machine" (no scheme, no port). */
static void netrc_host(struct html *h, const char *base)
{
	const char *p = strstr(base, "://");
	p = p ? p + 3 : base;
	size_t n = strcspn(p, "/");
	const char *colon = memchr(p, ':', n);
	if (p[0] != '[' && colon)
		n = (size_t)(colon - p);
	html_textn(h, p, n);
}

/* go.dev/ref/mod#environment-variables: GOPROXY names this owner's base.
 * GOSUMDB makes the go command check every module it downloads in one
 * database (it asks the proxy first, <base>/sumdb/NAME/): the owner's
 * own one serves for that when it logs this version and, through an
 * upstream checksum database, the public modules too.  Else a module the
 * public checksum database cannot know (uploaded here) needs GONOSUMDB,
 * one fetched from the owner's upstream does not. */
static void install(struct modpage *mp, struct html *h)
{
	struct upstream u;
	char why[MSG_MAX];
	int upstream = strcmp(mp->lvi.source, "upstream") == 0;
	int logged = mp->vkey[0] && sumlog_id(&mp->log, mp->module, mp->latest) >= 0;
	int whole = logged && upstream_get(mp->pq->st, mp->owner, &u, why, sizeof why) == 200 && u.sumdb_key[0];
	html_raw(h, "<section>\n<h2>Install</h2>\n<pre class=\"install\"><code>GOPROXY=");
	html_text(h, mp->pq->base);
	html_raw(h, "/api/packages/");
	html_url(h, mp->owner);
	html_raw(h, "/go");
	if (whole) {
		html_raw(h, " GOSUMDB=");
		html_text(h, mp->vkey);
	} else if (!upstream) {
		html_raw(h, " GONOSUMDB=");
		html_text(h, mp->module);
	}
	html_raw(h, " go get ");
	html_text(h, mp->module);
	html_raw(h, "@");
	html_text(h, mp->latest);
	html_raw(h, "</code></pre>\n<p>");
	if (whole)
		html_raw(h, "GOSUMDB: this owner's checksum database, served here, logs every version published "
		            "here and every public one fetched through it, checked in the upstream's checksum "
		            "database; the go command checks each download against it.</p>\n");
	else if (logged) {
		html_raw(h, "This owner's checksum database logs this version. It has no upstream checksum "
		            "database to check public modules through, so it knows only what is published here: "
		            "when every dependency is, the go command can check them all with <code>GOSUMDB=");
		html_text(h, mp->vkey);
		html_raw(h, "</code> in place of GONOSUMDB.</p>\n");
	} else
		html_raw(h, upstream ? "This version came from the owner's upstream: the public checksum database "
		                       "checks it.</p>\n"
		                     : "GONOSUMDB: the public checksum database does not know modules uploaded here "
		                       "(or set GOPRIVATE to the module's path prefix).</p>\n");
	if (mp->oi.private_) {
		html_raw(h, "<p>This owner is private: the go command sends the credentials of a line like this "
		            "one in <code>~/.netrc</code> (a token from <code>goreg-admin token add</code>):</p>\n"
		            "<pre><code>machine ");
		netrc_host(h, mp->pq->base);
		html_raw(h, " login ");
		html_text(h, mp->pq->who->user[0] ? mp->pq->who->user : "USER");
		html_raw(h, " password TOKEN</code></pre>\n");
	}
	html_raw(h, "</section>\n");
}

static void file_block(struct html *h, const char *title, const char *data, size_t n)
{
	html_raw(h, "<section>\n<h2>");
	html_text(h, title);
	html_raw(h, "</h2>\n<pre class=\"file\">");
	html_textn(h, data, n);
	html_raw(h, "</pre>\n</section>\n");
}

static void readme(struct modpage *mp, struct html *h)
{
	char path[FILE_PATH_MAX];
	char *text;
	uint64_t len;
	const char *name = "README";
	if (store_file_path(mp->pq->st, mp->owner, mp->module, mp->latest, "zip", path, sizeof path) < 0)
		return;
	int rc = readme_read(path, mp->module, mp->latest, &text, &len, &name);
	if (rc == 1 && text)
		file_block(h, name, text, (size_t)len);
	else if (rc == 1)
		html_fmt(h, "<section>\n<h2>%s</h2>\n<p>Too long to show here (%llu bytes).</p>\n</section>\n", name,
		         (unsigned long long)len);
	free(text);
}

static void body(struct modpage *mp, struct html *h)
{
	page_begin(mp->pq, h, mp->module);
	html_raw(h, "<h1>");
	html_text(h, mp->module);
	html_raw(h, "</h1>\n<p>Owner ");
	page_owner_link(mp->pq, h, mp->owner);
	html_raw(h, mp->oi.private_ ? " (private). Latest version <code>" : ". Latest version <code>");
	html_text(h, mp->latest);
	html_raw(h, "</code>.</p>\n");
	if (mp->notes.deprecated) {
		html_raw(h, "<p class=\"deprecated\"><strong>Deprecated:</strong> ");
		html_text(h, mp->notes.deprecated);
		html_raw(h, "</p>\n");
	}
	install(mp, h);
	versions_table(mp, h);
	if (mp->gomod)
		file_block(h, "go.mod", mp->gomod, strlen(mp->gomod));
	readme(mp, h);
	page_end(mp->pq, h);
}

/* the latest version's record and go.mod, and what that go.mod says */
static int latest_notes(struct modpage *mp, char *err, size_t errsz)
{
	char path[FILE_PATH_MAX];
	size_t len;
	long kept = -1;
	/* the go.mod the proxy serves: the record's copy, else the file */
	if (!(mp->gomod = malloc(STORE_GOMOD_KEPT_MAX + 1)))
		return ERR(500, "out of memory");
	int code = store_get_mod(mp->pq->st, mp->owner, mp->module, mp->latest, &mp->lvi, mp->gomod,
	                         STORE_GOMOD_KEPT_MAX, &kept, err, errsz);
	if (code != 200)
		return code;
	if (kept >= 0) {
		mp->gomod[kept] = 0;
		len = (size_t)kept;
	} else {
		free(mp->gomod);
		mp->gomod = NULL;
		if (store_file_path(mp->pq->st, mp->owner, mp->module, mp->latest, "mod", path, sizeof path) < 0 ||
		    read_file(path, PAGE_README_MAX, &mp->gomod, &len) < 0)
			return 200;
	}
	if (modfile_notes(mp->gomod, len, &mp->notes) < 0)
		return ERR(500, "out of memory");
	return 200;
}

int page_module(const struct page_req *pq, const char *owner, const char *module, struct html *h,
                char *err, size_t errsz)
{
	struct modpage mp = {.pq = pq, .owner = owner, .module = module};
	int code = auth_check(pq->st, pq->who, owner, ACCESS_READ, &mp.oi, err, errsz);
	if (code != 200)
		return code;
	code = store_versions(pq->st, owner, module, &mp.v, &mp.nv, err, errsz);
	if (code != 200)
		return code;
	mp.latest = catalog_latest(mp.v, mp.nv);
	code = latest_notes(&mp, err, errsz);
	char why[MSG_MAX];
	if (code == 200 && sumlog_open(pq->st, owner, 0, &mp.log, why, sizeof why) == 200 &&
	    sumlog_vkey(&mp.log, mp.vkey, why, sizeof why) != 200)
		mp.vkey[0] = 0;
	if (code == 200)
		body(&mp, h);
	sumlog_close(&mp.log);
	modfile_notes_free(&mp.notes);
	free(mp.gomod);
	store_list_free(mp.v, mp.nv);
	return code;
}
