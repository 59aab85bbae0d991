/* goreg-fetch: fetch module versions from an owner's upstream GOPROXY into
 * the store (a pull-through cache); run by goreg-httpd and goreg.cgi on a
 * miss, or by hand to prefetch.  The one program that links an HTTP
 * client: libcurl over mbedTLS, HTTP and HTTPS only.  See goreg-fetch(8). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curl/curl.h>

#include "app/fetch.h"
#include "base/limits.h"
#include "base/prog.h"
#include "base/util.h"
#include "gomod/modpath.h"
#include "gomod/semver.h"
#include "http/http.h"
#include "store/store.h"

static const char synopsis[] =
	"[-r root] owner module@version... | owner - | -l owner module... | -s name owner path | -c owner module@version...";

/* Where a response body goes: a file, or memory; at most max bytes. */
struct sink {
	int fd;
	struct buf mem;
	long long max, got;
	int over, failed;
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t len = size * n;
	if (s->got + (long long)len > s->max) {
		s->over = 1;
		return 0;       /* aborts the transfer */
	}
	s->got += (long long)len;
	if (s->fd >= 0 ? write_all(s->fd, p, len) < 0 : buf_add(&s->mem, p, len) < 0) {
		s->failed = errno ? errno : ENOMEM;
		return 0;
	}
	return len;
}

/* Timeouts: connecting, and a whole small or large transfer (a 500 MB zip
 * at a few MB/s takes minutes).  GOREG_FETCH_TIMEOUT makes a deadline
 * for all the transfers of one argument together (the front ends set it
 * to the time they give), in milliseconds of conn_now_ms's clock; 0 for none. */
#define CONNECT_SECS 10
#define SMALL_SECS 60
#define LARGE_SECS 1800
static int64_t deadline;

/* The deadline of the argument now begun. */
static void arm(void)
{
	const char *t = getenv("GOREG_FETCH_TIMEOUT");
	deadline = t && atol(t) > 0 ? conn_now_ms() + atol(t) * 1000LL : 0;
}

static int get(void *ctx, const char *url, int fd, char **mem, size_t *memlen, long long max, char *err,
               size_t errsz)
{
	CURL *h = ctx;
	struct sink s = {.fd = fd, .max = max};
	curl_easy_reset(h);     /* options only: connections are kept */
	const char *ca = getenv("SSL_CERT_FILE");
	int tls = strncmp(url, "https://", 8) == 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* as the go command: never from https down to plain http, where the
	 * answer can be changed on the way and .netrc's credentials for the
	 * host would go in the clear */
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, tls ? "https" : "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_SECS);
	int64_t total = (fd >= 0 ? LARGE_SECS : SMALL_SECS) * 1000LL, left = deadline ? deadline - conn_now_ms() : total;
	if (left < total)
		total = left;
	if (total < 1)
		return errset(err, errsz, 0, "%s: not asked: out of time (GOREG_FETCH_TIMEOUT)", url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)total);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "goreg-fetch");
	/* credentials over https only, as the go command sends them */
	curl_easy_setopt(h, CURLOPT_NETRC, tls ? (long)CURL_NETRC_OPTIONAL : (long)CURL_NETRC_IGNORED);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	if (ca && *ca)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (s.over || rc == CURLE_FILESIZE_EXCEEDED) {
		buf_free(&s.mem);
		return -1;
	}
	if (rc != CURLE_OK) {
		buf_free(&s.mem);
		if (s.failed)
			return errset(err, errsz, 0, "%s: unable to keep the body: %s", url, strerror(s.failed));
		if (tls && rc == CURLE_UNSUPPORTED_PROTOCOL)
			return errset(err, errsz, 0, "%s: redirected from https to http: not followed", url);
		return errset(err, errsz, 0, "%s: %s", url, curl_easy_strerror(rc));
	}
	if (status != 200)
		errset(err, errsz, 0, "%s: HTTP %ld", url, status);
	if (fd < 0) {
		if (status == 200 && buf_add(&s.mem, "", 1) < 0) {
			buf_free(&s.mem);
			return errset(err, errsz, 0, "out of memory");
		}
		*mem = s.mem.p;
		*memlen = s.mem.len ? s.mem.len - 1 : 0;
	}
	return (int)status;
}

/* "module@version" split in place: NULL, or why it is no such thing */
static const char *split_version(char *arg, char **at)
{
	*at = strrchr(arg, '@');
	if (!*at || *at == arg)
		return "expected module@version";
	**at = 0;
	const char *why = modpath_check(arg);
	if (!why && !semver_is_module_canonical(*at + 1))
		why = "not a canonical version";
	return why;
}

/* One "module@version": a line on stdout, and what it means for the
 * exit code (0 done, 1 refused or absent, 111 failed). */
static int one(const struct store *st, const char *owner, char *arg, const struct fetch_client *c)
{
	arm();
	char err[MSG_MAX], *at;
	const char *why = split_version(arg, &at);
	if (why) {
		printf("refused %s%s%s: %s\n", arg, at ? "@" : "", at ? at + 1 : "", why);
		return 1;
	}
	int code = fetch_version(st, owner, arg, at + 1, c, unix_now(), err, sizeof err);
	switch (code) {
	case 201: printf("fetched %s@%s\n", arg, at + 1); return 0;
	case 200: printf("present %s@%s\n", arg, at + 1); return 0;
	default:
		printf("%s %s@%s: %s\n", code < 500 ? "refused" : "failed", arg, at + 1, err);
		return code < 500 ? 1 : 111;
	}
}

/* -c: one version's go.sum lines, verified in the upstream checksum
 * database, into the owner's own one; a line on stdout. */
static int one_sum(const struct store *st, const char *owner, char *arg, const struct fetch_client *c)
{
	arm();
	char err[MSG_MAX], *at;
	const char *why = split_version(arg, &at);
	if (why) {
		printf("refused %s%s%s: %s\n", arg, at ? "@" : "", at ? at + 1 : "", why);
		return 1;
	}
	int code = fetch_sum_log(st, owner, arg, at + 1, c, err, sizeof err);
	if (code == 200 || code == 201) {
		printf("%s %s@%s\n", code == 201 ? "logged" : "present", arg, at + 1);
		return 0;
	}
	printf("%s %s@%s: %s\n", code < 500 ? "refused" : "failed", arg, at + 1, err);
	return code < 500 ? 1 : 111;
}

/* -l: one module's upstream list into the cache, a line on stdout. */
static int one_list(const struct store *st, const char *owner, const char *module, const struct fetch_client *c)
{
	arm();
	char err[MSG_MAX];
	const char *why = modpath_check(module);
	if (why) {
		printf("refused %s: %s\n", module, why);
		return 1;
	}
	int code = fetch_list(st, owner, module, c, unix_now(), err, sizeof err);
	if (code == 200) {
		printf("listed %s\n", module);
		return 0;
	}
	printf("%s %s: %s\n", code < 500 ? "refused" : "failed", module, err);
	return code < 500 ? 1 : 111;
}

int main(int argc, char **argv)
{
	prog_init("goreg-fetch");
	const char *root = store_default_root();
	int ch, list = 0, sums = 0;
	const char *sumdb = NULL;
	prog_help(argc, argv, synopsis);
	opterr = 0; /* usage_option says it, in our one-line format */
	while ((ch = getopt(argc, argv, ":r:ls:c")) != -1) {
		if (ch == 'r')
			root = optarg;
		else if (ch == 'l')
			list = 1;
		else if (ch == 's')
			sumdb = optarg;
		else if (ch == 'c')
			sums = 1;
		else
			usage_option(synopsis, ch, argc, argv);
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage(synopsis);
	const char *owner = argv[0];
	const char *why = store_check_owner(owner);
	if (why)
		die(1, "invalid owner '%s': %s", owner, why);
	struct store st;
	char err[MSG_MAX];
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die(111, "unable to start the HTTP client");
	CURL *h = curl_easy_init();
	if (!h)
		die(111, "unable to start the HTTP client: out of memory");
	struct fetch_client c = {get, h};
	int rc = 0;
	if (sumdb) {
		/* one path of a proxied checksum database into the cache */
		if (argc != 2 || strstr(argv[1], "..") || argv[1][0] == '/')
			usage(synopsis);
		arm();
		int code = fetch_sumdb(&st, owner, sumdb, argv[1], &c, err, sizeof err);
		if (code == 200)
			printf("cached %s/%s\n", sumdb, argv[1]);
		else
			printf("%s %s/%s: %s\n", code < 500 ? "refused" : "failed", sumdb, argv[1], err);
		rc = code == 200 ? 0 : code < 500 ? 1 : 111;
	} else if (sums) {
		for (int i = 1; i < argc; i++) {
			int r = one_sum(&st, owner, argv[i], &c);
			rc = r > rc ? r : rc;
		}
	} else if (list) {
		for (int i = 1; i < argc; i++) {
			int r = one_list(&st, owner, argv[i], &c);
			rc = r > rc ? r : rc;
		}
	} else if (argc == 2 && strcmp(argv[1], "-") == 0) {
		/* "module version" lines, as go list -m all prints them: the
		 * first line (the main module) has no version and is skipped */
		char line[MODPATH_MAX + VERSION_MAX + 64];
		while (fgets(line, sizeof line, stdin)) {
			char m[MODPATH_MAX + 1], v[VERSION_MAX + 1], arg[sizeof m + sizeof v + 1];
			if (sscanf(line, "%1024s %256s", m, v) != 2)
				continue;
			snprintf(arg, sizeof arg, "%s@%s", m, v);
			int r = one(&st, owner, arg, &c);
			rc = r > rc ? r : rc;
		}
	} else
		for (int i = 1; i < argc; i++) {
			int r = one(&st, owner, argv[i], &c);
			rc = r > rc ? r : rc;
		}
	curl_easy_cleanup(h);
	if (fflush(stdout) != 0)
		die(111, "unable to write to stdout");
	return rc;
}
