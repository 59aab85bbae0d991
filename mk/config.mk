# Build configuration as data.  Override on the command line:
#   make CC_MUSL=... DEPS_CACHE=... PREFIX=...

# Programs: bin/NAME.c builds bin/NAME (release) and build/dev/bin/NAME (dev).
PROGRAMS = goreg-httpd goreg.cgi \
           goreg-upload goreg-list goreg-info goreg-mod goreg-zip goreg-latest goreg-delete \
           goreg-admin goreg-pack goreg-fsck goreg-import goreg-fetch goreg-git

# Where the static musl dependencies are built and cached (keyed by the
# Debian source versions, so it survives `make clean` and fresh clones).
DEPS_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/goreg-deps

CC_MUSL ?= musl-gcc
CC_DEV  ?= gcc

WARN   = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
STD    = -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64

# release: static musl, size-optimised, unused sections dropped, stripped;
# link-time optimisation takes 4 % off each program (goreg-httpd: 411 to
# 395 KB) and lets the small helpers of one file inline into another's
REL_CFLAGS  = $(STD) $(WARN) -Os -flto=auto -ffunction-sections -fdata-sections -fstack-protector-strong -D_FORTIFY_SOURCE=2
# (the warnings again at the link, where the optimiser sees across files;
# the archive made with gcc-ar, which gives ar the LTO plugin)
REL_LDFLAGS = -static -flto=auto $(WARN) -Wl,--gc-sections -s

# dev: glibc + Debian's -dev packages, sanitizers, debug info
DEV_CFLAGS  = $(STD) $(WARN) -DGOREG_TEST_HOOKS -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
DEV_LDFLAGS = -fsanitize=address,undefined
DEV_LIBS    = -lzip -ltdb -lsodium -lz

REL_LIBS    = -lzip -ltdb -lsodium -lz

# The programs that may make outbound HTTP(S) requests: only these see
# libcurl + mbedTLS (mk/build-curl.sh, a prefix of its own in DEPS_CACHE,
# built only when one of them, or the test that checks that prefix, is made).
CURL_PROGRAMS = goreg-fetch
CURL_LIBS     = -lcurl -lmbedtls -lmbedx509 -lmbedcrypto
DEV_CURL_LIBS = -lcurl

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/goreg
# systemd's own search paths include /usr/local/lib/... as well as /usr/lib/...
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
