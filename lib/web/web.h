/* The site: what a browser and an operator's monitoring ask for, beside
 * the API.  Its paths cannot be an API route or an owner's (owner names
 * start with a letter or a digit, the API's paths with /api/):
 *
 *   /                        the owners the caller may read, the latest uploads
 *   /-/search?q=TEXT         modules whose path holds TEXT, across those owners
 *   /-/owner/OWNER           an owner's modules
 *   /-/module/OWNER/MODULE   a module: versions, install lines, go.mod, README
 *   /-/login                 401 until the browser sends credentials, then back to /
 *   /-/style.css             the one stylesheet
 *   /healthz, /metrics       for operators (metrics.h)
 *
 * Every other path goes to ops_dispatch unchanged. */
#ifndef GOREG_WEB_H
#define GOREG_WEB_H
#include <stdint.h>

struct store;
struct request;
struct reply;

/* Answer one HTTP request, a page's or the API's. */
void web_dispatch(const struct store *st, const struct request *rq, int64_t now, struct reply *r);

#endif
