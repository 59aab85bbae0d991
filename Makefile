# goreg: see README.md.  Targets: all (static musl release, the default),
# dev (glibc + ASan/UBSan), check, soak, bench, run, install, clean.
include mk/config.mk

# lib/ holds one folder per layer (lib/README.md); sources are
# compiled with -Ilib and include across layers as "layer/file.h".
LIBSRC  := $(sort $(wildcard lib/*/*.c))
LIBHDR  := $(wildcard lib/*/*.h)
UNITSRC := $(sort $(wildcard tests/unit/t-*.c))
MANPAGES := $(wildcard man/*.[1-8])

# Output places; a private set (make O=build/mine) keeps parallel work apart:
# release binaries then go to $(O)/bin instead of bin/.
O ?=
ifeq ($(O),)
REL    := build/release
DEV    := build/dev
RELBIN := bin
LIBA   := $(REL)/libgoreg.a
else
REL    := $(O)/release
DEV    := $(O)/dev
RELBIN := $(O)/bin
LIBA   := $(O)/libgoreg.a
endif

.SECONDARY:
.PHONY: all dev check check-unit check-integration fuzz soak bench bench-deps run install clean lint-man \
        need-build need-dev need-check need-bench need-run
all: $(addprefix $(RELBIN)/,$(PROGRAMS))

# ---- the Debian packages each goal needs (mk/packages), installed or named
# before anything is built; order-only, so they never force a rebuild ----
need-build:
	@mk/need.sh build
need-dev need-check need-bench need-run: need-build
	@mk/need.sh $(@:need-%=%)

# ---- static musl dependencies (mk/build-deps.sh; cached in DEPS_CACHE) ----
$(REL)/deps/.done: mk/build-deps.sh mk/fetch-src.sh mk/tdb-config.h mk/tdb-replace.c | need-build
	@mkdir -p $(REL)
	@p=$$(CC_MUSL=$(CC_MUSL) mk/build-deps.sh $(DEPS_CACHE)) && ln -sfn "$$p" $(REL)/deps
	@test -f $@ && touch $@

# ---- libcurl + mbedTLS, for CURL_PROGRAMS alone (mk/build-curl.sh; its
# own prefix in DEPS_CACHE, made only when something here needs it) ----
CURLGET := $(REL)/tests/curl-get
$(REL)/curl/.done: mk/build-curl.sh mk/fetch-src.sh | need-build
	@mkdir -p $(REL)
	@p=$$(CC_MUSL=$(CC_MUSL) mk/build-curl.sh $(DEPS_CACHE)) && ln -sfn "$$p" $(REL)/curl
	@test -f $@ && touch $@
$(CURL_PROGRAMS:%=$(REL)/bin/%.o): $(REL)/bin/%.o: bin/%.c $(LIBHDR) $(REL)/deps/.done $(REL)/curl/.done mk/config.mk | need-build
	@mkdir -p $(@D)
	$(CC_MUSL) $(REL_CFLAGS) -Ilib -I$(REL)/deps/include -I$(REL)/curl/include -c $< -o $@
$(CURL_PROGRAMS:%=$(RELBIN)/%): $(RELBIN)/%: $(REL)/bin/%.o $(LIBA)
	@mkdir -p $(@D)
	$(CC_MUSL) $(REL_LDFLAGS) $< $(LIBA) -L$(REL)/deps/lib -L$(REL)/curl/lib $(CURL_LIBS) $(REL_LIBS) -o $@
# the static-link check of that prefix (tests/integration/t0005-curl-static.sh)
$(CURLGET): tests/integration/curl-get.c $(REL)/curl/.done mk/config.mk | need-build
	@mkdir -p $(@D)
	$(CC_MUSL) $(REL_CFLAGS) -I$(REL)/curl/include $< $(REL_LDFLAGS) -L$(REL)/curl/lib $(CURL_LIBS) -o $@

# ---- release build ----
$(REL)/lib/%.o: lib/%.c $(LIBHDR) $(REL)/deps/.done mk/config.mk | need-build
	@mkdir -p $(@D)
	$(CC_MUSL) $(REL_CFLAGS) -Ilib -I$(REL)/deps/include -c $< -o $@
$(REL)/bin/%.o: bin/%.c $(LIBHDR) $(REL)/deps/.done mk/config.mk | need-build
	@mkdir -p $(@D)
	$(CC_MUSL) $(REL_CFLAGS) -Ilib -I$(REL)/deps/include -c $< -o $@
$(LIBA): $(LIBSRC:lib/%.c=$(REL)/lib/%.o)
	@mkdir -p $(@D)
	rm -f $@ && gcc-ar rcs $@ $^
$(RELBIN)/%: $(REL)/bin/%.o $(LIBA)
	@mkdir -p $(@D)
	$(CC_MUSL) $(REL_LDFLAGS) $< $(LIBA) -L$(REL)/deps/lib $(REL_LIBS) -o $@

# ---- dev build (sanitizers) ----
dev: $(addprefix $(DEV)/bin/,$(PROGRAMS)) $(UNITSRC:tests/unit/%.c=$(DEV)/tests/%.t)
$(DEV)/lib/%.o: lib/%.c $(LIBHDR) mk/config.mk | need-dev
	@mkdir -p $(@D)
	$(CC_DEV) $(DEV_CFLAGS) -Ilib -c $< -o $@
$(DEV)/libgoreg.a: $(LIBSRC:lib/%.c=$(DEV)/lib/%.o)
	rm -f $@ && ar rcs $@ $^
$(DEV)/bin/%: bin/%.c $(DEV)/libgoreg.a $(LIBHDR)
	@mkdir -p $(@D)
	$(CC_DEV) $(DEV_CFLAGS) -Ilib $< $(DEV)/libgoreg.a $(DEV_LDFLAGS) $(DEV_LIBS) -o $@
$(CURL_PROGRAMS:%=$(DEV)/bin/%): $(DEV)/bin/%: bin/%.c $(DEV)/libgoreg.a $(LIBHDR)
	@mkdir -p $(@D)
	$(CC_DEV) $(DEV_CFLAGS) -Ilib $< $(DEV)/libgoreg.a $(DEV_LDFLAGS) $(DEV_CURL_LIBS) $(DEV_LIBS) -o $@
$(DEV)/tests/%.t: tests/unit/%.c tests/unit/tap.h tests/unit/tstore.h tests/unit/tmth.h $(DEV)/libgoreg.a $(LIBHDR)
	@mkdir -p $(@D)
	$(CC_DEV) $(DEV_CFLAGS) -Wno-missing-prototypes -Ilib -Itests/unit $< $(DEV)/libgoreg.a $(DEV_LDFLAGS) $(DEV_LIBS) -o $@

# ---- tests: unit tests under the sanitizers, then integration tests on
# the static binaries; one prove run, one summary line ----
TESTENV = GOREG_BIN=$(CURDIR)/$(RELBIN) GOREG_DEVDIR=$(CURDIR)/$(DEV) GOREG_O=$(O) \
          GOREG_CURL_GET=$(CURDIR)/$(CURLGET) GOREG_FUZZ_SECS=$(FUZZ_CHECK_SECS)
check: all dev $(CURLGET) | need-check
	@$(TESTENV) tests/run-tests.sh $(TESTS)

check-unit: dev | need-check
	@$(TESTENV) GOREG_TESTS=unit tests/run-tests.sh

# one or more integration tests: make check-integration TESTS=tests/integration/t0100-*.sh
# (curl-get only when the tests named include its test, or none are named)
check-integration: all $(if $(TESTS),$(if $(filter %-curl-static.sh,$(wildcard $(TESTS))),$(CURLGET)),$(CURLGET)) | need-check
	@$(TESTENV) GOREG_TESTS=integration tests/run-tests.sh $(TESTS)

# ---- fuzzing: each libFuzzer harness of tests/fuzz/ for FUZZ_SECS
# seconds (FUZZ_TARGETS=names for some); make check runs each for
# FUZZ_CHECK_SECS (tests/integration/t0900-fuzz.sh) ----
FUZZ_SECS ?= 300
FUZZ_CHECK_SECS ?= 12
fuzz: | need-dev need-check
	tests/fuzz/run.sh -t $(FUZZ_SECS) -o $(or $(O),build)/fuzz $(FUZZ_TARGETS)

# the soak test alone, longer than in check (60 s), its counts shown:
# make soak SOAK_SECS=3600
SOAK_SECS ?= 600
soak: all | need-check
	@$(TESTENV) SOAK_SECS=$(SOAK_SECS) PROVE_FLAGS="$${PROVE_FLAGS:--v}" GOREG_TESTS=integration \
		tests/run-tests.sh tests/integration/t0950-soak.sh

lint-man:
	mandoc -Tlint -W warning $(MANPAGES)

bench: all | need-bench
	GOREG_BIN=$(CURDIR)/$(RELBIN) bench/run.sh
bench-deps: need-bench

# ---- run: a demo registry on 127.0.0.1:$(PORT) (https with TLS=1) ----
PORT ?= 8080
GOREG_RUN_ROOT ?= $(CURDIR)/demo-store
GOREG_RUN_ADDR ?= 127.0.0.1:$(PORT)
# TLS=1: https through nginx, with a throwaway CA kept in GOREG_RUN_TLS
TLS ?=
GOREG_RUN_TLS ?= $(CURDIR)/demo-tls
run: all | need-run
	@GOREG_ROOT=$(GOREG_RUN_ROOT) GOREG_ADDR=$(GOREG_RUN_ADDR) GOREG_TLS=$(TLS) GOREG_TLS_DIR=$(GOREG_RUN_TLS) mk/run-demo.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)/etc
	install -m 755 $(addprefix $(RELBIN)/,$(PROGRAMS)) $(DESTDIR)$(BINDIR)/
	for m in $(MANPAGES); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	cp -R etc/. $(DESTDIR)$(DOCDIR)/etc/
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	for u in goreg.socket goreg@.service; do \
		sed 's|/usr/local/bin/|$(BINDIR)/|' etc/$$u > $(DESTDIR)$(UNITDIR)/$$u && chmod 644 $(DESTDIR)$(UNITDIR)/$$u; done
	install -m 644 etc/sysusers.d/goreg.conf $(DESTDIR)$(SYSUSERSDIR)/goreg.conf
	install -m 644 etc/tmpfiles.d/goreg.conf $(DESTDIR)$(TMPFILESDIR)/goreg.conf

clean:
	rm -rf $(REL) $(DEV) $(LIBA) $(addprefix $(RELBIN)/,$(PROGRAMS))
