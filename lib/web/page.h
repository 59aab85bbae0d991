/* The pages: server-rendered HTML, no script, one stylesheet.  Each
 * returns an HTTP status: 200 with the page in h, else 401, 404 or 500
 * with a one-line reason in err (the API's answers, auth_check's rule:
 * an unknown owner and a private one the caller may not read look the
 * same). */
#ifndef GOREG_PAGE_H
#define GOREG_PAGE_H
#include <stddef.h>
#include <stdint.h>

struct store;
struct principal;
struct html;

struct page_req {
	const struct store *st;
	const struct principal *who;
	const char *base;       /* this server's URL, for the install lines: "https://host[/mount]" */
	const char *mount;      /* the front end's mount, before every link's path: "" or "/cgi-bin/goreg.cgi" */
	const char *query;      /* the search, "" for none */
	int64_t now;
};

int page_index(const struct page_req *pq, struct html *h, char *err, size_t errsz);
int page_search(const struct page_req *pq, struct html *h, char *err, size_t errsz);
int page_owner(const struct page_req *pq, const char *owner, struct html *h, char *err, size_t errsz);
int page_module(const struct page_req *pq, const char *owner, const char *module, struct html *h,
                char *err, size_t errsz);

/* The head and foot of every page (title escaped). */
void page_begin(const struct page_req *pq, struct html *h, const char *title);
void page_end(const struct page_req *pq, struct html *h);
/* a path of the site ("/-/owner/") under the mount, for an attribute */
void page_path(const struct page_req *pq, struct html *h, const char *path);
/* <time> of a unix time, RFC 3339; a link to an owner's page */
void page_time(struct html *h, int64_t t);
void page_owner_link(const struct page_req *pq, struct html *h, const char *owner);

#endif
