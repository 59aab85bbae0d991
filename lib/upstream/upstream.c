#include "upstream/upstream.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/authdb.h"
#include "base/util.h"
#include "store/store.h"
#include "sumdb/note.h"

/* The record's fields, in the order they are written. */
enum { F_PROXY, F_PRIVATE, F_SUMDB_KEY, F_SUMDB_URL, NFIELDS };
static const char *const names[NFIELDS] = {"proxy", "private", "sumdb_key", "sumdb_url"};

static char *field(struct upstream *u, int f)
{
	switch (f) {
	case F_PROXY: return u->proxy;
	case F_PRIVATE: return u->private_;
	case F_SUMDB_KEY: return u->sumdb_key;
	default: return u->sumdb_url;
	}
}

static size_t field_size(int f)
{
	struct upstream *u = NULL;
	switch (f) {
	case F_PROXY: return sizeof u->proxy;
	case F_PRIVATE: return sizeof u->private_;
	case F_SUMDB_KEY: return sizeof u->sumdb_key;
	default: return sizeof u->sumdb_url;
	}
}

static void parse(const char *rec, struct upstream *u)
{
	memset(u, 0, sizeof *u);
	for (int f = 0; f < NFIELDS; f++)
		if (adb_rec_get(rec, names[f], field(u, f), field_size(f)) < 0)
			field(u, f)[0] = 0;
}

int upstream_get(const struct store *st, const char *owner, struct upstream *u, char *err, size_t errsz)
{
	struct owner_info oi;
	memset(u, 0, sizeof *u);
	int code = auth_owner_get(st, owner, &oi, err, errsz);
	if (code != 200)
		return code;
	struct tdb_context *db;
	if ((code = adb_open_ro(st, &db, err, errsz)) != 200)
		return code;
	char key[OWNER_MAX + 16];
	snprintf(key, sizeof key, "upstream:%s", owner);
	char *rec = db ? adb_get_ro(st, db, key) : NULL;
	adb_close_ro(st, db);
	if (rec)
		parse(rec, u);
	free(rec);
	return 200;
}

/* adb_finish, with the store's ADB_UPSTREAM_ANY made right first. */
static int finish(struct tdb_context *db, int code, char *err, size_t errsz)
{
	if (code == 200 && adb_upstream_mark(db) < 0)
		code = adb_stored(err, errsz, db);
	return adb_finish(db, code, err, errsz);
}

/* Replace field f of the owner's record with val (all fields when f is
 * NFIELDS: the record goes). */
static int update(const struct store *st, const char *owner, int f, const char *val, const char *val2,
                  char *err, size_t errsz)
{
	struct owner_info oi;
	int code = auth_owner_get(st, owner, &oi, err, errsz);
	if (code != 200)
		return code;
	struct tdb_context *db;
	if ((code = adb_begin(st, &db, err, errsz)) != 200)
		return code;
	char key[OWNER_MAX + 16];
	snprintf(key, sizeof key, "upstream:%s", owner);
	char *rec = adb_get(db, key);
	struct upstream u;
	parse(rec ? rec : "", &u);
	free(rec);
	if (f == NFIELDS) {
		if (tdb_delete(db, adb_key(key)) != 0)
			code = ERR(404, "'%s' has no upstream", owner);
		return finish(db, code, err, errsz);
	}
	snprintf(field(&u, f), field_size(f), "%s", val);
	if (f == F_SUMDB_KEY)
		snprintf(u.sumdb_url, sizeof u.sumdb_url, "%s", val2);
	struct buf b = {0};
	int fail = buf_add(&b, "", 0);
	for (int i = 0; i < NFIELDS && !fail; i++)
		if (*field(&u, i))
			fail = buf_printf(&b, "%s=%s\n", names[i], field(&u, i));
	if (fail)
		code = ERR(500, "out of memory");
	else if (b.len == 0)
		tdb_delete(db, adb_key(key));
	else if (adb_put(db, key, b.p, TDB_REPLACE) != 0)
		code = adb_stored(err, errsz, db);
	buf_free(&b);
	return finish(db, code, err, errsz);
}

/* ask(st, goreg.tdb) on the accounts opened for reading; 0 where they
 * cannot be read */
static int ask_mark(const struct store *st, int (*ask)(const struct store *, struct tdb_context *))
{
	char err[MSG_MAX];
	struct tdb_context *db;
	if (adb_open_ro(st, &db, err, sizeof err) != 200 || !db)
		return 0;
	int r = ask(st, db);
	adb_close_ro(st, db);
	return r;
}

int upstream_any(const struct store *st)
{
	return ask_mark(st, adb_upstream_any);
}

int upstream_none(const struct store *st)
{
	return ask_mark(st, adb_upstream_none);
}

int upstream_set_proxy(const struct store *st, const char *owner, const char *list, char *err, size_t errsz)
{
	const char *why = upstream_check_list(list);
	if (why)
		return ERR(400, "invalid upstream list: %s", why);
	return update(st, owner, F_PROXY, list, NULL, err, errsz);
}

int upstream_set_private(const struct store *st, const char *owner, const char *patterns, char *err,
                         size_t errsz)
{
	const char *why = upstream_check_patterns(patterns);
	if (why)
		return ERR(400, "invalid private patterns: %s", why);
	return update(st, owner, F_PRIVATE, patterns, NULL, err, errsz);
}

int upstream_set_sumdb(const struct store *st, const char *owner, const char *key, const char *url,
                       char *err, size_t errsz)
{
	char name[SUMDB_KEY_MAX + 1];
	const char *why = *key ? upstream_check_sumdb_key(key, name, sizeof name) : NULL;
	if (why)
		return ERR(400, "invalid checksum database key: %s", why);
	if (*key && (why = upstream_check_list(url)) == NULL && (strchr(url, ',') || strchr(url, '|') ||
	                                                         strcmp(url, "off") == 0))
		why = "one URL, not a list";
	if (why)
		return ERR(400, "invalid checksum database URL: %s", why);
	return update(st, owner, F_SUMDB_KEY, key, *key ? url : "", err, errsz);
}

int upstream_clear(const struct store *st, const char *owner, char *err, size_t errsz)
{
	return update(st, owner, NFIELDS, NULL, NULL, err, errsz);
}

/* An http(s) URL goreg can ask: a scheme, a host, no spaces, quotes,
 * control characters or fragment; no credentials in it (they would be
 * shown by upstream show and written to the audit log). */
static const char *check_url(const char *u, size_t n)
{
	size_t s = n >= 8 && strncmp(u, "https://", 8) == 0 ? 8 : n >= 7 && strncmp(u, "http://", 7) == 0 ? 7 : 0;
	if (!s)
		return "an entry is not an http:// or https:// URL";
	if (n > UPSTREAM_URL_MAX)
		return "a URL too long (it would be kept cut short)";
	if (n == s || u[s] == '/')
		return "a URL without a host";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '#' || c == '<' || c == '>')
			return "a URL with a space, quote or control character";
	}
	const char *host_end = memchr(u + s, '/', n - s);
	if (memchr(u + s, '@', (size_t)((host_end ? host_end : u + n) - (u + s))))
		return "a URL with credentials (give them in .netrc, not in the URL)";
	return NULL;
}

const char *upstream_check_list(const char *list)
{
	if (strlen(list) > UPSTREAM_LIST_MAX)
		return "too long";
	if (strcmp(list, "off") == 0 || !*list)
		return NULL;
	for (const char *p = list;;) {
		size_t n = strcspn(p, ",|");
		if (n == 0)
			return "an empty entry";
		if ((n == 6 && strncmp(p, "direct", 6) == 0) || (n == 7 && strncmp(p, "noproxy", 7) == 0))
			return "\"direct\" is not served: goreg never runs a version control tool";
		if (n == 3 && strncmp(p, "off", 3) == 0)
			return "\"off\" stands alone";
		const char *why = check_url(p, n);
		if (why)
			return why;
		if (!p[n])
			return NULL;
		p += n + 1;
	}
}

const char *upstream_check_patterns(const char *patterns)
{
	if (strlen(patterns) > UPSTREAM_LIST_MAX)
		return "too long";
	for (const char *p = patterns; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f)
			return "a space or control character";
	}
	/* path.Match's syntax: every '[' closed, no trailing '\\' */
	for (const char *p = patterns; *p;) {
		size_t n = strcspn(p, ",");
		int open = 0;
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '\\' && ++i == n)
				return "a pattern ends in a backslash";
			if (p[i] == '[')
				open = 1;
			else if (p[i] == ']')
				open = 0;
		}
		if (open)
			return "a '[' without its ']'";
		p += n;
		p += *p == ',';
	}
	return NULL;
}

const char *upstream_check_sumdb_key(const char *key, char *name, size_t namesz)
{
	struct note_key k;
	const char *why = note_verifier_parse(key, &k);
	if (why)
		return why;
	if (strlen(k.name) >= namesz)
		return "name too long";
	if (strchr(k.name, '/'))
		return "a name with a '/'";
	memcpy(name, k.name, strlen(k.name) + 1);
	return NULL;
}

int upstream_next(const char **p, char *url, size_t urlsz, int *any)
{
	const char *s = *p;
	if (!*s)
		return 0;
	size_t n = strcspn(s, ",|");
	*any = s[n] == '|';
	size_t l = n;
	while (l > 0 && s[l - 1] == '/')
		l--;
	snprintf(url, urlsz, "%.*s", (int)l, s);
	*p = s[n] ? s + n + 1 : s + n;
	return 1;
}
