/*
 * curl-get URL: one GET with the static libcurl + mbedTLS of the curl
 * prefix (mk/build-curl.sh), the body to stdout.  The CA file is
 * $SSL_CERT_FILE when set, else libcurl's built-in bundle; certificate and
 * host name checks stay on.  Proxies come from the environment (http_proxy,
 * HTTPS_PROXY, NO_PROXY), as libcurl reads them by default.  Exit 0 on a
 * 2xx answer, 1 with one error line otherwise.  curl-get -V prints
 * libcurl's version line and its protocols.  Used by t0005-curl-static.sh.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t body(char *p, size_t size, size_t n, void *out)
{
	return fwrite(p, size, n, out);
}

static CURLcode get(CURL *c, const char *url, long *status)
{
	const char *ca = getenv("SSL_CERT_FILE");
	CURLcode r = CURLE_OK;

	if (ca && *ca)
		r = curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	if (!r)
		r = curl_easy_setopt(c, CURLOPT_URL, url);
	if (!r)
		r = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (!r)
		r = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	if (!r)
		r = curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (!r)
		r = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body);
	if (!r)
		r = curl_easy_setopt(c, CURLOPT_WRITEDATA, stdout);
	if (!r)
		r = curl_easy_perform(c);
	if (!r)
		r = curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return r;
}

static int version(void)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	const char *const *p;

	printf("%s\nprotocols:", curl_version());
	for (p = v->protocols; *p; p++)
		printf(" %s", *p);
	printf("\n");
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	CURL *c;
	CURLcode r;
	long status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: curl-get URL\n");
		return 2;
	}
	if (strcmp(argv[1], "-V") == 0)
		return version();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c = curl_easy_init())) {
		fprintf(stderr, "curl-get: curl_global_init: failed\n");
		return 1;
	}
	r = get(c, argv[1], &status);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	if (r) {
		fprintf(stderr, "curl-get: GET %s: %s\n", argv[1], curl_easy_strerror(r));
		return 1;
	}
	if (status < 200 || status > 299) {
		fprintf(stderr, "curl-get: GET %s: HTTP status %ld\n", argv[1], status);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
