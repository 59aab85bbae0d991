/* Users as a whole: the list of them, and deleting one with everything
 * goreg.tdb holds for it (auth.h). */
#include "auth/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <tdb.h>

#include "auth/authdb.h"
#include "store/store.h"
#include "base/util.h"

static int users_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct adb_lines *l = p;
	if (!adb_has_prefix(key, "user:") || key.dsize - 5 > OWNER_MAX)
		return 0;
	char line[OWNER_MAX + 1];
	snprintf(line, sizeof line, "%.*s", (int)(key.dsize - 5), (const char *)key.dptr + 5);
	adb_lines_add(l, line);
	return 0;
}

int auth_user_list(const struct store *st, char **out, char *err, size_t errsz)
{
	return adb_list(st, users_one, out, err, errsz);
}

/* The keys of a user's records: user:, owner:, its tokens and its
 * memberships (the traversal only collects; deleting comes after). */
struct user_keys {
	struct adb_lines l;
	const char *user;
	size_t tokens, orgs;
};

static int user_keys_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct user_keys *k = p;
	char kbuf[2 * OWNER_MAX + 32], u[OWNER_MAX + 1] = "";
	if (key.dsize >= sizeof kbuf)
		return 0;
	snprintf(kbuf, sizeof kbuf, "%.*s", (int)key.dsize, (const char *)key.dptr);
	size_t ul = strlen(k->user);
	if (adb_has_prefix(key, "token:")) {
		char *rec = adb_val_str(val);
		if (!rec) {
			k->l.fail = 1;
			return -1;
		}
		adb_rec_get(rec, "user", u, sizeof u);
		free(rec);
		if (strcmp(u, k->user) != 0)
			return 0;
		k->tokens++;
	} else if (adb_has_prefix(key, "member:")) {
		size_t kl = strlen(kbuf);
		if (kl < ul + 1 || kbuf[kl - ul - 1] != ':' || strcmp(kbuf + kl - ul, k->user) != 0)
			return 0;
		k->orgs++;
	} else
		return 0;
	adb_lines_add(&k->l, kbuf);
	return 0;
}

int auth_user_delete(const struct store *st, const char *user, size_t *tokens, size_t *orgs, char *err,
                     size_t errsz)
{
	*tokens = *orgs = 0;
	if (store_check_owner(user))
		return ERR(404, "no such user '%s'", user);
	struct tdb_context *db;
	int code = adb_begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[OWNER_MAX + 16];
	snprintf(key, sizeof key, "user:%s", user);
	if (!tdb_exists(db, adb_key(key)))
		return adb_finish(db, ERR(404, "no such user '%s'", user), err, errsz);
	struct user_keys k = {.user = user};
	if (tdb_traverse(db, user_keys_one, &k) < 0 || k.l.fail)
		code = ERR(500, "unable to read goreg.tdb: %s", k.l.fail ? "out of memory" : tdb_errorstr(db));
	snprintf(key, sizeof key, "owner:%s", user);
	adb_lines_add(&k.l, key);
	snprintf(key, sizeof key, "user:%s", user);
	adb_lines_add(&k.l, key);
	if (code == 200 && k.l.fail)
		code = ERR(500, "out of memory");
	for (size_t i = 0; i < k.l.n; i++) {
		if (code == 200 && tdb_delete(db, adb_key(k.l.v[i])) != 0)
			code = ERR(500, "unable to delete: %s", tdb_errorstr(db));
		free(k.l.v[i]);
	}
	free(k.l.v);
	*tokens = k.tokens;
	*orgs = k.orgs;
	return adb_finish(db, code == 200 ? 204 : code, err, errsz);
}
