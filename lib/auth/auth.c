/* Accounts and the access rules: users, organisations, owners and
 * memberships in goreg.tdb, and auth_check.  Tokens and credentials are in
 * token.c, the goreg.tdb plumbing both use in authdb.c. */
#include "auth/auth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <tdb.h>

#include "auth/audit.h"
#include "auth/authdb.h"
#include "store/store.h"
#include "base/util.h"

static int owner_add(const struct store *st, const char *name, const char *kind, int64_t now,
                     char *err, size_t errsz)
{
	const char *why = store_check_owner(name);
	if (why)
		return ERR(400, "invalid name '%s': %s", name, why);
	struct tdb_context *db;
	int code = adb_begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[OWNER_MAX + 16], val[128];
	snprintf(key, sizeof key, "owner:%s", name);
	if (tdb_exists(db, adb_key(key)))
		return adb_finish(db, ERR(409, "'%s' already exists", name), err, errsz);
	snprintf(val, sizeof val, "visibility=public\nkind=%s\ncreated=%lld\n", kind, (long long)now);
	code = adb_put(db, key, val, TDB_INSERT) == 0 ? 201 : adb_stored(err, errsz, db);
	if (code == 201 && strcmp(kind, "user") == 0) {
		snprintf(key, sizeof key, "user:%s", name);
		snprintf(val, sizeof val, "created=%lld\n", (long long)now);
		if (adb_put(db, key, val, TDB_INSERT) != 0)
			code = adb_stored(err, errsz, db);
	}
	return adb_finish(db, code, err, errsz);
}

int auth_user_add(const struct store *st, const char *user, int64_t now, char *err, size_t errsz)
{
	return owner_add(st, user, "user", now, err, errsz);
}

int auth_org_add(const struct store *st, const char *org, int64_t now, char *err, size_t errsz)
{
	return owner_add(st, org, "org", now, err, errsz);
}

/* Is the value of rec's first "key=" line value? */
static int value_is(const char *rec, size_t len, const char *key, size_t kl, const char *value, size_t vl)
{
	size_t l;
	const char *v = adb_rec_value(rec, len, key, kl, &l);
	return v && l == vl && bytes_equal(v, value, vl);
}

/* An owner's record rec[0, len) (no NUL in it; each request asks): the
 * first "visibility=" line and the first "kind=" line are the ones that
 * count, as adb_rec_get finds them. */
static void owner_parse(const char *rec, size_t len, struct owner_info *oi)
{
	oi->exists = 1;
	oi->private_ = value_is(rec, len, "visibility", 10, "private", 7);
	oi->is_org = value_is(rec, len, "kind", 4, "org", 3);
}

int auth_owner_get(const struct store *st, const char *owner, struct owner_info *oi,
                   char *err, size_t errsz)
{
	memset(oi, 0, sizeof *oi);
	if (store_check_owner(owner))
		return ERR(404, "no such owner '%s'", owner);
	struct tdb_context *db;
	int code = adb_open_ro(st, &db, err, errsz);
	if (code != 200)
		return code;
	if (!db)
		return ERR(404, "no such owner '%s'", owner);
	char key[OWNER_MAX + 16];
	fmt(key, sizeof key, "owner:%s", owner);
	char *rec = adb_get_ro(st, db, key);
	adb_close_ro(st, db);
	if (!rec)
		return ERR(404, "no such owner '%s'", owner);
	owner_parse(rec, strlen(rec), oi);
	free(rec);
	return 200;
}

int auth_owner_set_private(const struct store *st, const char *owner, int private_,
                           char *err, size_t errsz)
{
	if (store_check_owner(owner))
		return ERR(404, "no such owner '%s'", owner);
	struct tdb_context *db;
	int code = adb_begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[OWNER_MAX + 16], kind[16] = "user", created[32] = "0", val[128];
	snprintf(key, sizeof key, "owner:%s", owner);
	char *rec = adb_get(db, key);
	if (!rec)
		return adb_finish(db, ERR(404, "no such owner '%s'", owner), err, errsz);
	adb_rec_get(rec, "kind", kind, sizeof kind);
	adb_rec_get(rec, "created", created, sizeof created);
	free(rec);
	snprintf(val, sizeof val, "visibility=%s\nkind=%s\ncreated=%s\n", private_ ? "private" : "public",
	         kind, created);
	code = adb_put(db, key, val, TDB_REPLACE) == 0 ? 200 : adb_stored(err, errsz, db);
	return adb_finish(db, code, err, errsz);
}

/* inside a transaction: is org an organisation, is user a user */
static int org_and_user(struct tdb_context *db, const char *org, const char *user, char *err, size_t errsz)
{
	char key[OWNER_MAX + 16], v[32];
	if (store_check_owner(org))
		return ERR(404, "no such organisation '%s'", org);
	snprintf(key, sizeof key, "owner:%s", org);
	char *rec = adb_get(db, key);
	int is_org = rec && adb_rec_get(rec, "kind", v, sizeof v) == 0 && strcmp(v, "org") == 0;
	free(rec);
	if (!is_org)
		return ERR(404, "no such organisation '%s'", org);
	if (store_check_owner(user))
		return ERR(404, "no such user '%s'", user);
	snprintf(key, sizeof key, "user:%s", user);
	if (!tdb_exists(db, adb_key(key)))
		return ERR(404, "no such user '%s'", user);
	return 200;
}

/* A change to org's membership of user: the transaction begun, both
 * checked, the record's key made.  200, or the refusal (nothing begun). */
static int member_begin(const struct store *st, const char *org, const char *user,
                        struct tdb_context **db, char *key, size_t keysz, char *err, size_t errsz)
{
	int code = adb_begin(st, db, err, errsz);
	if (code != 200)
		return code;
	if ((code = org_and_user(*db, org, user, err, errsz)) != 200)
		return adb_finish(*db, code, err, errsz);
	snprintf(key, keysz, "member:%s:%s", org, user);
	return 200;
}

int auth_org_grant(const struct store *st, const char *org, const char *user, int access,
                   char *err, size_t errsz)
{
	struct tdb_context *db;
	char key[2 * OWNER_MAX + 16];
	int code = member_begin(st, org, user, &db, key, sizeof key, err, errsz);
	if (code != 200)
		return code;
	code = adb_put(db, key, access & ACCESS_WRITE ? "write" : "read", TDB_REPLACE) == 0
	               ? 200
	               : adb_stored(err, errsz, db);
	return adb_finish(db, code, err, errsz);
}

int auth_org_revoke(const struct store *st, const char *org, const char *user, char *err, size_t errsz)
{
	struct tdb_context *db;
	char key[2 * OWNER_MAX + 16];
	int code = member_begin(st, org, user, &db, key, sizeof key, err, errsz);
	if (code != 200)
		return code;
	if (tdb_delete(db, adb_key(key)) != 0)
		code = tdb_error(db) == TDB_ERR_NOEXIST ? ERR(404, "'%s' is not a member of '%s'", user, org)
		                                        : ERR(500, "unable to delete: %s", tdb_errorstr(db));
	return adb_finish(db, code, err, errsz);
}

struct members_ctx {
	struct adb_lines l;
	char prefix[OWNER_MAX + 16];
};

static int members_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct members_ctx *c = p;
	if (!adb_has_prefix(key, c->prefix) || key.dsize - strlen(c->prefix) > OWNER_MAX || val.dsize > 16)
		return 0;
	char line[OWNER_MAX + 32];
	snprintf(line, sizeof line, "%.*s %.*s", (int)(key.dsize - strlen(c->prefix)),
	         (const char *)key.dptr + strlen(c->prefix), (int)val.dsize, (const char *)val.dptr);
	adb_lines_add(&c->l, line);
	return 0;
}

int auth_org_members(const struct store *st, const char *org, char **out, char *err, size_t errsz)
{
	*out = NULL;
	struct owner_info oi;
	int code = auth_owner_get(st, org, &oi, err, errsz);
	if (code != 200 || !oi.is_org)
		return code == 500 ? code : ERR(404, "no such organisation '%s'", org);
	struct tdb_context *db;
	if ((code = adb_open_ro(st, &db, err, errsz)) != 200)
		return code;
	struct members_ctx c = {0};
	snprintf(c.prefix, sizeof c.prefix, "member:%s:", org);
	if (db) {
		tdb_traverse_read(db, members_one, &c);
		adb_close_ro(st, db);
	}
	return adb_lines_join(&c.l, 0, out, err, errsz);
}

static int owners_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct adb_lines *l = p;
	if (!adb_has_prefix(key, "owner:") || key.dsize - 6 > OWNER_MAX)
		return 0;
	char *rec = adb_val_str(val);
	if (!rec) {
		l->fail = 1;
		return -1;
	}
	struct owner_info oi;
	owner_parse(rec, strlen(rec), &oi);
	free(rec);
	char line[OWNER_MAX + 32];
	snprintf(line, sizeof line, "%.*s %s %s", (int)(key.dsize - 6), (const char *)key.dptr + 6,
	         oi.is_org ? "org" : "user", oi.private_ ? "private" : "public");
	adb_lines_add(l, line);
	return 0;
}

int auth_owner_list(const struct store *st, char **out, char *err, size_t errsz)
{
	return adb_list(st, owners_one, out, err, errsz);
}

int auth_check(const struct store *st, const struct principal *p, const char *owner,
               int access, struct owner_info *oi, char *err, size_t errsz)
{
	memset(oi, 0, sizeof *oi);
	struct tdb_context *db = NULL;
	int code = store_check_owner(owner) ? 200 : adb_open_ro(st, &db, err, errsz);
	if (code != 200)
		return code;
	int may = 0;
	if (db) {
		/* "owner:NAME" copied, the name checked (at most OWNER_MAX
		 * bytes): no fmt per request */
		char key[2 * OWNER_MAX + 16];
		memcpy(key, "owner:", 6);
		memcpy(key + 6, owner, strlen(owner) + 1);
		/* parsed where it is kept, not copied */
		int owned;
		TDB_DATA rec = adb_get_ref(st, db, key, &owned);
		/* up to a NUL in it, where the string of a copy would end */
		if (rec.dptr)
			owner_parse((const char *)rec.dptr, strnlen((const char *)rec.dptr, rec.dsize), oi);
		if (owned)
			free(rec.dptr);
		if (p->user[0]) {
			/* looked up whether or not the owner exists, so an unknown
			 * and a private owner cost the same */
			fmt(key, sizeof key, "member:%s:%s", owner, p->user);
			char *m = adb_get_ro(st, db, key);
			if (m && oi->exists && oi->is_org)
				may = strcmp(m, "write") == 0 ? ACCESS_READ | ACCESS_WRITE : ACCESS_READ;
			free(m);
			if (oi->exists && !oi->is_org && strcmp(p->user, owner) == 0)
				may = ACCESS_READ | ACCESS_WRITE;
		}
		adb_close_ro(st, db);
	}
	/* Unknown owners answer like private ones the caller may not read:
	 * 401 to the anonymous, 404 to everybody else, with the same body, so
	 * nobody learns which private owners exist. */
	if (!oi->exists || (oi->private_ && !(may & ACCESS_READ))) {
		if (!p->user[0])
			return ERR(401, "authentication required");
		return ERR(404, "no such owner '%s'", owner);
	}
	if (access == ACCESS_READ)
		return 200;
	if (!p->user[0])
		return ERR(401, "authentication required");
	if (!(may & ACCESS_WRITE))
		return ERR(403, "'%s' may not write to '%s'", p->user, owner);
	if (!(p->scope & ACCESS_WRITE))
		return ERR(403, "read-only token: '%s' may not write", p->token_id);
	return 200;
}
