#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "gomod/semver.h"
#include "store/store.h"
#include "base/util.h"
#include "web/catalog.h"
#include "web/html.h"

/* a path of the site, under the front end's mount, for an attribute */
void page_path(const struct page_req *pq, struct html *h, const char *path)
{
	html_url(h, pq->mount);
	html_raw(h, path);
}

void page_begin(const struct page_req *pq, struct html *h, const char *title)
{
	html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(h, title);
	html_raw(h, " \xc2\xb7 goreg</title>\n<link rel=\"stylesheet\" href=\"");
	page_path(pq, h, "/-/style.css");
	html_raw(h, "\">\n</head>\n<body>\n<header><nav><a href=\"");
	page_path(pq, h, "/-/");
	html_raw(h, "\">goreg</a>\n<form action=\"");
	page_path(pq, h, "/-/search");
	html_raw(h, "\" method=\"get\" role=\"search\">"
	            "<label>Search modules <input type=\"search\" name=\"q\" value=\"");
	html_text(h, pq->query);
	html_raw(h, "\"></label> <button type=\"submit\">Search</button></form>\n");
	if (pq->who->user[0]) {
		html_raw(h, "<span class=\"who\">signed in as ");
		html_text(h, pq->who->user);
		html_raw(h, "</span>");
	} else {
		html_raw(h, "<a class=\"who\" href=\"");
		page_path(pq, h, "/-/login");
		html_raw(h, "\">sign in</a>");
	}
	html_raw(h, "</nav></header>\n<main>\n");
}

void page_end(const struct page_req *pq, struct html *h)
{
	html_raw(h, "</main>\n<footer><p>goreg: a Go module registry. <a href=\"");
	page_path(pq, h, "/healthz");
	html_raw(h, "\">health</a> \xc2\xb7 <a href=\"");
	page_path(pq, h, "/metrics");
	html_raw(h, "\">metrics</a></p></footer>\n</body>\n</html>\n");
}

/* <time datetime="RFC 3339">RFC 3339</time> */
void page_time(struct html *h, int64_t t)
{
	char ts[32];
	time_rfc3339(t, ts);
	html_fmt(h, "<time datetime=\"%s\">%s</time>", ts, ts);
}

void page_owner_link(const struct page_req *pq, struct html *h, const char *owner)
{
	html_raw(h, "<a href=\"");
	page_path(pq, h, "/-/owner/");
	html_url(h, owner);
	html_raw(h, "\">");
	html_text(h, owner);
	html_raw(h, "</a>");
}

static void module_link(const struct page_req *pq, struct html *h, const char *owner, const char *module)
{
	html_raw(h, "<a href=\"");
	page_path(pq, h, "/-/module/");
	html_url(h, owner);
	html_raw(h, "/");
	html_url(h, module);
	html_raw(h, "\">");
	html_text(h, module);
	html_raw(h, "</a>");
}

/* the latest uploads, newest first: an array kept sorted by time */
struct recent {
	struct recent_one {
		char owner[OWNER_MAX + 1];
		char *module;
		char version[VERSION_MAX + 1];
		int64_t time;
	} v[PAGE_LATEST_MAX];
	size_t n;
	int fail;
};

/* Does a version go after o in the list: older, or as old and after it
 * by owner, module and (higher first) version?  So that the list does
 * not depend on the index's order. */
static int after(const struct recent_one *o, const char *owner, const char *module,
                 const struct verinfo *vi)
{
	if (o->time != vi->time)
		return vi->time < o->time;
	int c = strcmp(owner, o->owner);
	if (!c)
		c = strcmp(module, o->module);
	return c ? c > 0 : semver_compare(vi->version, o->version) < 0;
}

static int recent_one(void *ctx, const char *owner, const char *module, const struct verinfo *vi)
{
	struct recent *rc = ctx;
	size_t i = rc->n;
	while (i > 0 && !after(&rc->v[i - 1], owner, module, vi))
		i--;
	if (i == PAGE_LATEST_MAX)
		return 0;
	char *m = strdup(module);
	if (!m)
		return rc->fail = 1;
	if (rc->n == PAGE_LATEST_MAX)
		free(rc->v[--rc->n].module);
	memmove(&rc->v[i + 1], &rc->v[i], (rc->n - i) * sizeof rc->v[0]);
	struct recent_one *o = &rc->v[i];
	snprintf(o->owner, sizeof o->owner, "%s", owner);
	snprintf(o->version, sizeof o->version, "%s", vi->version);
	o->module = m;
	o->time = vi->time;
	rc->n++;
	return 0;
}

static void recent_table(const struct page_req *pq, struct html *h, const struct recent *rc)
{
	html_raw(h, "<section>\n<h2>Latest uploads</h2>\n");
	if (!rc->n) {
		html_raw(h, "<p>Nothing yet.</p>\n</section>\n");
		return;
	}
	html_raw(h, "<table>\n<thead><tr><th>module</th><th>version</th><th>owner</th><th>time</th></tr></thead>\n"
	            "<tbody>\n");
	for (size_t i = 0; i < rc->n; i++) {
		const struct recent_one *o = &rc->v[i];
		html_raw(h, "<tr><td>");
		module_link(pq, h, o->owner, o->module);
		html_raw(h, "</td><td>");
		html_text(h, o->version);
		html_raw(h, "</td><td>");
		page_owner_link(pq, h, o->owner);
		html_raw(h, "</td><td>");
		page_time(h, o->time);
		html_raw(h, "</td></tr>\n");
	}
	html_raw(h, "</tbody>\n</table>\n</section>\n");
}

static void owner_list(const struct page_req *pq, struct html *h, const struct cat_owner *o, size_t n)
{
	html_raw(h, "<section>\n<h2>Owners</h2>\n");
	if (!n)
		html_raw(h, "<p>No owner you may read.</p>\n");
	else
		html_raw(h, "<ul class=\"owners\">\n");
	for (size_t i = 0; i < n; i++) {
		html_raw(h, "<li>");
		page_owner_link(pq, h, o[i].name);
		html_raw(h, o[i].private_ ? " <small class=\"mark\">private</small></li>\n" : "</li>\n");
	}
	html_raw(h, n ? "</ul>\n</section>\n" : "</section>\n");
}

int page_index(const struct page_req *pq, struct html *h, char *err, size_t errsz)
{
	struct cat_owner *o;
	size_t n;
	int code = catalog_owners(pq->st, pq->who, &o, &n, err, errsz);
	if (code != 200)
		return code;
	struct recent rc = {.n = 0};
	for (size_t i = 0; i < n && code == 200 && !rc.fail; i++)
		code = catalog_versions(pq->st, o[i].name, recent_one, &rc, err, errsz);
	if (code == 200 && rc.fail)
		code = ERR(500, "out of memory");
	if (code == 200) {
		page_begin(pq, h, "Go modules");
		html_raw(h, "<h1>Go modules</h1>\n");
		owner_list(pq, h, o, n);
		recent_table(pq, h, &rc);
		page_end(pq, h);
	}
	for (size_t i = 0; i < rc.n; i++)
		free(rc.v[i].module);
	free(o);
	return code;
}

/* one row of an owner's module table, or of the search results */
static void module_row(const struct page_req *pq, struct html *h, const char *owner,
                       const struct store_module *m, int with_owner)
{
	const char *latest = catalog_latest(m->v, m->nv);
	struct verinfo vi;
	char why[MSG_MAX];
	html_raw(h, "<tr><td>");
	module_link(pq, h, owner, m->path);
	if (with_owner) {
		html_raw(h, "</td><td>");
		page_owner_link(pq, h, owner);
	}
	html_raw(h, "</td><td>");
	html_text(h, latest ? latest : "");
	html_raw(h, "</td><td>");
	if (latest && store_get(pq->st, owner, m->path, latest, &vi, why, sizeof why) == 200)
		page_time(h, vi.time);
	html_fmt(h, "</td><td>%zu</td></tr>\n", m->nv);
}

static void module_table(const struct page_req *pq, struct html *h, const char *owner,
                         const struct store_module *m, size_t n)
{
	if (!n) {
		html_raw(h, "<p>No modules yet.</p>\n");
		return;
	}
	html_raw(h, "<table>\n<thead><tr><th>module</th><th>latest</th><th>time</th><th>versions</th></tr>"
	            "</thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++)
		module_row(pq, h, owner, &m[i], 0);
	html_raw(h, "</tbody>\n</table>\n");
}

int page_owner(const struct page_req *pq, const char *owner, struct html *h, char *err, size_t errsz)
{
	struct owner_info oi;
	int code = auth_check(pq->st, pq->who, owner, ACCESS_READ, &oi, err, errsz);
	struct store_module *m;
	size_t n;
	if (code != 200 || (code = store_owner_modules(pq->st, owner, &m, &n, err, errsz)) != 200)
		return code;
	page_begin(pq, h, owner);
	html_raw(h, "<h1>");
	html_text(h, owner);
	html_raw(h, oi.private_ ? " <small class=\"mark\">private</small></h1>\n" : "</h1>\n");
	html_fmt(h, "<p>%s with %zu module%s.</p>\n", oi.is_org ? "An organisation" : "A user", n,
	         n == 1 ? "" : "s");
	module_table(pq, h, owner, m, n);
	page_end(pq, h);
	store_owner_modules_free(m, n);
	return 200;
}

/* the modules of one owner whose path holds q (ASCII case ignored) */
static int search_owner(const struct page_req *pq, struct html *h, const char *owner, size_t *found,
                        char *err, size_t errsz)
{
	struct store_module *m;
	size_t n;
	int code = store_owner_modules(pq->st, owner, &m, &n, err, errsz);
	if (code != 200)
		return code;
	for (size_t i = 0; i < n; i++)
		if (strcasestr(m[i].path, pq->query)) {
			if (!(*found)++)
				html_raw(h, "<table>\n<thead><tr><th>module</th><th>owner</th><th>latest</th><th>time</th>"
				            "<th>versions</th></tr></thead>\n<tbody>\n");
			module_row(pq, h, owner, &m[i], 1);
		}
	store_owner_modules_free(m, n);
	return 200;
}

int page_search(const struct page_req *pq, struct html *h, char *err, size_t errsz)
{
	struct cat_owner *o;
	size_t n, found = 0;
	int code = catalog_owners(pq->st, pq->who, &o, &n, err, errsz);
	if (code != 200)
		return code;
	page_begin(pq, h, "Search");
	html_raw(h, "<h1>Modules matching \xe2\x80\x9c");
	html_text(h, pq->query);
	html_raw(h, "\xe2\x80\x9d</h1>\n");
	for (size_t i = 0; i < n && code == 200 && pq->query[0]; i++)
		code = search_owner(pq, h, o[i].name, &found, err, errsz);
	free(o);
	html_raw(h, found ? "</tbody>\n</table>\n" : "<p>No module path holds this.</p>\n");
	page_end(pq, h);
	return code;
}
