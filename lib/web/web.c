#include "web/web.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "app/ops.h"
#include "app/route.h"
#include "auth/auth.h"
#include "gomod/modpath.h"
#include "store/store.h"
#include "base/util.h"
#include "web/html.h"
#include "web/metrics.h"
#include "web/page.h"

/* What every answer of the site carries: no script, no frame, styles
 * from the one stylesheet only (CSP Level 3; form-action is not covered
 * by default-src), and no content sniffing (Fetch, X-Content-Type-Options). */
#define WEB_HEADERS                                                                              \
	"Content-Security-Policy: default-src 'none'; style-src 'self'; form-action 'self'; "        \
	"frame-ancestors 'none'; base-uri 'none'\r\n"                                                  \
	"X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
/* pages depend on who asks: any cache asks again every time */
#define PAGE_CACHE "private, no-cache"

static const char style_css[] =
	"body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem;color:#1b1b1b;"
	"background:#fff}\n"
	"header nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 0;"
	"border-bottom:1px solid #ccc}\n"
	"header nav>a:first-child{font-weight:bold;text-decoration:none}\n"
	"header form{flex:1}\n.who{margin-left:auto}\n"
	"input[type=search]{width:min(24rem,60vw)}\n"
	"a{color:#0b57a8}\n"
	"table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}\n"
	"th,td{text-align:left;padding:.3rem .8rem .3rem 0;border-bottom:1px solid #eee;vertical-align:top;"
	"white-space:nowrap}\n"
	"td small{white-space:normal}\n"
	"pre{background:#f5f5f5;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}\n"
	".hash code{font-size:.8em}\n"
	".mark{border:1px solid #888;border-radius:.3rem;padding:0 .3rem}\n"
	".retracted{border-color:#b00;color:#b00}\n"
	".deprecated{border-left:4px solid #b60;padding-left:.6rem}\n"
	"footer{border-top:1px solid #ccc;margin-top:2rem;color:#555;font-size:.9em}\n";

/* This server's URL for the install lines: GOREG_BASE_URL when set (the
 * one a proxy in front makes public, with any mount), else the scheme
 * from HTTPS=on (as CGI servers set it, RFC 3875 leaves it to them) and
 * the Host field, when it is a host[:port] (RFC 9110 section 7.2), else
 * localhost; with SERVER_PORT (RFC 3875 section 4.1.15) when the Host has
 * no port; then the front end's mount. */
static void base_url(const struct request *rq, char *out, size_t outsz)
{
	const char *set = getenv("GOREG_BASE_URL"), *https = getenv("HTTPS");
	if (set && *set) {
		size_t n = strlen(set);
		while (n && set[n - 1] == '/')
			n--;
		snprintf(out, outsz, "%.*s", (int)n, set);
		return;
	}
	const char *host = rq->host, *port = getenv("SERVER_PORT");
	size_t n = strlen(host);
	if (!n || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != n)
		host = "localhost";
	int tls = https && (strcmp(https, "on") == 0 || strcmp(https, "1") == 0);
	/* a CGI server may pass the Host without its port (Debian's nginx
	 * sets HTTP_HOST to $host); SERVER_PORT has it */
	const char *colon = strrchr(host, ':');
	int has_port = colon && !strchr(colon, ']');
	if (!has_port && port && *port && strspn(port, "0123456789") == strlen(port) && strlen(port) <= 5 &&
	    strcmp(port, tls ? "443" : "80") != 0)
		snprintf(out, outsz, "%s://%s:%s%s", tls ? "https" : "http", host, port, rq->mount);
	else
		snprintf(out, outsz, "%s://%s%s", tls ? "https" : "http", host, rq->mount);
}

/* the q parameter of a query, '+' a space, percent-decoded; "" if none */
static void query_q(const char *target, char *out, size_t outsz)
{
	out[0] = 0;
	const char *q = strchr(target, '?');
	for (q = q ? q + 1 : NULL; q && *q;) {
		size_t l = strcspn(q, "&");
		if (l >= 2 && q[0] == 'q' && q[1] == '=') {
			char raw[HTTP_LINE_MAX];
			snprintf(raw, sizeof raw, "%.*s", (int)(l - 2), q + 2);
			for (char *c = raw; *c; c++)
				if (*c == '+')
					*c = ' ';
			if (pct_decode(raw, strlen(raw), out, outsz) < 0)
				out[0] = 0;
			return;
		}
		q += l;
		q += *q == '&';
	}
}

/* the answer to a page: 200 with the HTML and a validator from its bytes */
static void page_reply(struct reply *r, int code, struct html *h, const char *err)
{
	if (code == 200 && h->fail)
		code = 500, err = "out of memory";
	if (code != 200) {
		reply_error(r, code, "%s", err);
		r->www_authenticate = code == 401;
		return;
	}
	if (reply_bytes(r, 200, "text/html; charset=utf-8", h->b.p, h->b.len) < 0) {
		reply_error(r, 500, "out of memory");
		return;
	}
	unsigned char sum[32];
	char hex[65];
	crypto_hash_sha256(sum, (const unsigned char *)h->b.p, h->b.len);
	hex_encode(sum, 16, hex);
	snprintf(r->etag, sizeof r->etag, "\"p%s\"", hex);
	r->cache_control = PAGE_CACHE;
}

enum site { S_API, S_INDEX, S_SEARCH, S_OWNER, S_MODULE, S_LOGIN, S_STYLE, S_HEALTH, S_METRICS, S_NONE };

static enum site site_of(const char *path, const char **rest)
{
#define SITE(p, s, prefix) {p, sizeof p - 1, s, prefix}
	static const struct {
		const char *path;
		size_t n;
		enum site s;
		int prefix;
	} sites[] = {
		SITE("/", S_INDEX, 0), SITE("/-/", S_INDEX, 0), SITE("/-/search", S_SEARCH, 0),
		SITE("/-/owner/", S_OWNER, 1), SITE("/-/module/", S_MODULE, 1), SITE("/-/login", S_LOGIN, 0),
		SITE("/-/style.css", S_STYLE, 0), SITE("/healthz", S_HEALTH, 0), SITE("/metrics", S_METRICS, 0),
	};
#undef SITE
	/* the API's paths (/api/...) at once: every site's path is "/"
	 * or goes on with '-', 'h' or 'm' */
	int c = path[0] == '/' ? path[1] : 'a';
	if (c && c != '-' && c != 'h' && c != 'm')
		return S_API;
	for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
		size_t n = sites[i].n;
		if (strncmp(path, sites[i].path, n) == 0 && (sites[i].prefix || !path[n])) {
			*rest = path + n;
			return sites[i].s;
		}
	}
	return strncmp(path, "/-/", 3) == 0 ? S_NONE : S_API;
}

/* OWNER[/MODULE] after /-/owner/ or /-/module/: the owner lower-cased as
 * the API's routes take it, the module path percent-decoded and checked
 * (module.CheckPath).  200, or 404. */
static int page_names(const char *rest, int with_module, char *owner, char *module, char *err, size_t errsz)
{
	size_t n = strcspn(rest, "/");
	char tmp[3 * OWNER_MAX + 1];
	if (n == 0 || n >= sizeof tmp || (rest[n] == '/') != with_module)
		return ERR(404, "not found");
	memcpy(tmp, rest, n);
	tmp[n] = 0;
	if (pct_decode(tmp, n, owner, OWNER_MAX + 1) < 0)
		return ERR(404, "no such owner");
	for (char *c = owner; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (store_check_owner(owner))
		return ERR(404, "no such owner");
	if (!with_module)
		return 200;
	const char *m = rest + n + 1;
	if (pct_decode(m, strlen(m), module, MODPATH_MAX + 1) < 0 || modpath_check(module) ||
	    store_check_module(module))
		return ERR(404, "no such module");
	return 200;
}

static void serve_fixed(enum site s, const struct store *st, struct reply *r)
{
	char err[MSG_MAX];
	if (s == S_STYLE) {
		reply_bytes(r, 200, "text/css; charset=utf-8", style_css, sizeof style_css - 1);
		unsigned char sum[32];
		char hex[65];
		crypto_hash_sha256(sum, (const unsigned char *)style_css, sizeof style_css - 1);
		hex_encode(sum, 16, hex);
		snprintf(r->etag, sizeof r->etag, "\"s%s\"", hex);
		r->cache_control = "public, max-age=3600";
		return;
	}
	int code = metrics_health(st, err, sizeof err);
	if (code == 200)
		reply_bytes(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
	else
		reply_error(r, code, "%s", err);
	r->cache_control = "no-store";
}

static void serve_metrics(const struct store *st, const struct principal *who, struct reply *r)
{
	char err[MSG_MAX];
	struct buf b = {0};
	int code = metrics_text(st, who, &b, err, sizeof err);
	if (code != 200)
		reply_error(r, code, "%s", err);
	else if (reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.p, b.len) < 0)
		reply_error(r, 500, "out of memory");
	r->cache_control = "no-store";
	buf_free(&b);
}

/* /-/login: credentials make the browser keep them for /-/ (RFC 7617
 * section 2.2: the protection space is the directory of the URL), then
 * back to the front page below it. */
static void serve_login(const struct request *rq, const struct principal *who, struct reply *r)
{
	if (!who->user[0]) {
		reply_error(r, 401, "sign in with your user name and a token");
		r->www_authenticate = 1;
		return;
	}
	reply_bytes(r, 303, "text/plain; charset=utf-8", "signed in\n", 10);
	snprintf(r->location, sizeof r->location, "%s/-/", rq->mount);
}

static void serve_page(enum site s, const char *rest, const struct store *st, const struct request *rq,
                       const struct principal *who, int64_t now, struct reply *r)
{
	char err[MSG_MAX], base[HTTP_LINE_MAX], q[HTTP_LINE_MAX];
	char owner[OWNER_MAX + 1], module[MODPATH_MAX + 1];
	struct html h = {{0}, 0};
	base_url(rq, base, sizeof base);
	query_q(rq->target, q, sizeof q);
	struct page_req pq = {st, who, base, rq->mount, q, now};
	int code = 200;
	if (s == S_INDEX)
		code = page_index(&pq, &h, err, sizeof err);
	else if (s == S_SEARCH)
		code = page_search(&pq, &h, err, sizeof err);
	else if ((code = page_names(rest, s == S_MODULE, owner, module, err, sizeof err)) != 200)
		;
	else if (s == S_OWNER)
		code = page_owner(&pq, owner, &h, err, sizeof err);
	else
		code = page_module(&pq, owner, module, &h, err, sizeof err);
	page_reply(r, code, &h, err);
	buf_free(&h.b);
}

void web_dispatch(const struct store *st, const struct request *rq, int64_t now, struct reply *r)
{
	const char *rest = "";
	enum site s = site_of(rq->path, &rest);
	if (s == S_API) {
		ops_dispatch(st, rq, now, r);
		return;
	}
	if (s == S_NONE)
		reply_error(r, 404, "not found");
	else if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
		reply_error(r, 405, "method not allowed");
		r->allow = "GET, HEAD";
	} else if (s == S_STYLE || s == S_HEALTH)
		serve_fixed(s, st, r);
	else {
		char err[MSG_MAX];
		struct principal who;
		int code = auth_identify(st, rq, now, &who, err, sizeof err);
		if (code != 200) {
			reply_error(r, code, "%s", err);
			r->www_authenticate = code == 401;
		} else if (s == S_METRICS)
			serve_metrics(st, &who, r);
		else if (s == S_LOGIN)
			serve_login(rq, &who, r);
		else
			serve_page(s, rest, st, rq, &who, now, r);
	}
	r->headers = WEB_HEADERS;
}
