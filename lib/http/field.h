/* The request header fields goreg keeps, as one table for goreg-httpd's
 * parser and goreg.cgi's environment reader (quark's req_field style), so
 * the two front ends cannot drift; and the one number and timeout parsers
 * both use (field.c). */
#ifndef GOREG_FIELD_H
#define GOREG_FIELD_H
#include <stddef.h>

#include "http/request.h"

enum field_keep {
	FIELD_WHOLE,        /* too long for its place: 431 (a cut credential or
	                     * validator would mean something else) */
	FIELD_OR_IGNORE,    /* too long: ignored as if absent (Range, RFC 9110
	                     * section 14.2: a server may ignore it) */
	FIELD_CUT,          /* too long: cut (User-Agent, for logs only) */
};

struct field_def {
	const char *name;   /* the field name, as RFC 9110 spells it */
	size_t nlen;        /* its length */
	const char *cgi;    /* its CGI/1.1 meta-variable (RFC 3875 section 4.1.18) */
	size_t off, size;   /* where it goes in struct request */
	enum field_keep keep;
	int unique;         /* a repeat is refused with 400 */
};

extern const struct field_def field_defs[];
extern const size_t field_ndefs;

/* The entry for the field name[0, n), ignoring case; NULL if goreg does
 * not keep it. */
const struct field_def *field_find(const char *name, size_t n);

/* Store value v[0, n) of field f in rq.  Returns 0, or 431 when a WHOLE
 * field does not fit (*why set).  Control characters are the caller's
 * check (the wire and the environment arrive differently). */
int field_store(const struct field_def *f, struct request *rq, const char *v, size_t n, const char **why);

/* 1*DIGIT (RFC 9110 section 8.6 Content-Length; RFC 3875 section 4.1.2
 * CONTENT_LENGTH): 0 with *out set, -1 if malformed (empty, a sign, a
 * list, anything but digits).  A value above max gives max + 1: too large,
 * and no overflow. */
int field_length(const char *v, size_t n, long long max, long long *out);

/* Whole seconds from environment variable name (1 to HTTP_TIMEOUT_MAX),
 * else dflt: an operator's timeout setting. */
int field_env_secs(const char *name, int dflt);

#endif
