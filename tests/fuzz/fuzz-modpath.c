/* libFuzzer harness: module path, file path and version rules, the '!'
 * case-encoding, and semver (lib/gomod/modpath.c, lib/gomod/semver.c).  The input is
 * two strings separated by the first newline.  Properties, from
 * golang.org/x/mod/module and semver: escaping is a bijection between
 * valid paths (versions) and their encodings, so unescape(escape(s)) == s
 * and escape(unescape(e)) == e; what CheckPath accepts CheckImportPath
 * accepts; a valid version's canonical form is canonical and compares
 * equal to it; Compare is antisymmetric. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "gomod/modpath.h"
#include "gomod/semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXIN 4096

static void die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz-modpath: %s: \"%s\"\n", what, s);
	abort();
}

static void one(const char *s)
{
	char e[2 * MAXIN + 1], u[MAXIN + 1], c[VERSION_MAX + 32], c2[VERSION_MAX + 32];
	const char *why = NULL;
	int valid;

	valid = modpath_check(s) == NULL;
	if (valid && modpath_check_import(s) != NULL)
		die("a valid module path is not a valid import path", s);
	(void)modpath_check_file(s);

	/* paths: escape . unescape = id on valid paths (modpath_escape_path
	 * also checks the path) */
	if (modpath_escape_path(s, e, sizeof e, &why) == 0) {
		if (!valid)
			die("escaped an invalid path", s);
		if (modpath_unescape_path(e, u, sizeof u, &why) != 0 || strcmp(u, s) != 0)
			die("unescape(escape(p)) != p", s);
	} else if (valid && strlen(s) <= MODPATH_MAX) {
		die("a valid path does not escape", s);
	}
	if (modpath_unescape_path(s, u, sizeof u, &why) == 0) {
		if (modpath_check(u) != NULL)
			die("unescaped to an invalid path", s);
		if (modpath_escape_path(u, e, sizeof e, &why) != 0 || strcmp(e, s) != 0)
			die("escape(unescape(e)) != e", s);
	}

	/* versions */
	if (modpath_escape_version(s, e, sizeof e, &why) == 0 &&
	    (modpath_unescape_version(e, u, sizeof u, &why) != 0 || strcmp(u, s) != 0))
		die("unescape_version(escape_version(v)) != v", s);
	if (modpath_unescape_version(s, u, sizeof u, &why) == 0 &&
	    (modpath_escape_version(u, e, sizeof e, &why) != 0 || strcmp(e, s) != 0))
		die("escape_version(unescape_version(e)) != e", s);

	/* semver */
	if (semver_valid(s)) {
		int crc = semver_canonical(s, c, sizeof c);
		if (crc != 0 && strlen(s) < VERSION_MAX)
			die("a valid version has no canonical form", s);
		if (crc == 0) {
			if (!semver_valid(c) || !semver_is_canonical(c))
				die("canonical form is not canonical", s);
			if (semver_compare(s, c) != 0)
				die("a version and its canonical form differ in order", s);
			if (semver_canonical(c, c2, sizeof c2) != 0 || strcmp(c, c2) != 0)
				die("canonical is not idempotent", s);
		}
		(void)semver_classify(s);
		(void)semver_is_pseudo(s);
		(void)semver_is_incompatible(s);
		(void)semver_major(s, c, sizeof c);
		(void)semver_prerelease(s, c, sizeof c);
		(void)semver_build(s, c, sizeof c);
	} else if (semver_canonical(s, c, sizeof c) == 0 || c[0] != '\0') {
		die("an invalid version has a canonical form", s);
	}
	if (semver_compare(s, s) != 0)
		die("compare(v, v) != 0", s);
	if (modpath_check_module(s, "v1.0.0") == NULL && !valid)
		die("check_module accepts an invalid path", s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char a[MAXIN + 1], b[MAXIN + 1];
	const uint8_t *nl;
	size_t na, nb;
	int ab, ba;

	if (size > 2 * MAXIN || memchr(data, '\0', size) != NULL)
		return 0;
	nl = memchr(data, '\n', size);
	na = nl ? (size_t)(nl - data) : size;
	nb = nl ? size - na - 1 : 0;
	if (na > MAXIN || nb > MAXIN)
		return 0;
	memcpy(a, data, na);
	a[na] = '\0';
	memcpy(b, nl ? nl + 1 : data, nb);
	b[nb] = '\0';
	one(a);
	if (nl) {
		one(b);
		ab = semver_compare(a, b);
		ba = semver_compare(b, a);
		if (ab != -ba || ab < -1 || ab > 1)
			die("compare is not antisymmetric", a);
	}
	return 0;
}
