# schema_oracle: PGXS build, install and regression entry point.
#
#   make                  build schema_oracle.so
#   sudo make install     install it into the PostgreSQL found by pg_config
#   make installcheck     run the pg_regress suites against a running server
#
# The full suite (format, unit tests, regression, isolation, shell tests on a
# throwaway cluster) is scripts/test.sh; see docs/development.md.

EXTENSION  = schema_oracle
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = schema_oracle
# Every .cpp under src/ belongs to the module: the pure core, the adapters
# (with their fact extractors), the mirrors of PostgreSQL code (upstream)
# and the extern "C" entry points.
SOURCES    = $(sort $(wildcard src/core/*.cpp src/pg/*.cpp src/pg/extract/*.cpp \
                               src/upstream/*.cpp src/entry/*.cpp))
# The rule catalog's data (src/core/rules/*.rules, docs/development.md "The
# rule catalog") is compiled in: tools/rule_catalog_gen.cpp, built first with
# the same compiler, writes it as a C++ table.
RULE_DATA  = $(sort $(wildcard src/core/rules/*.rules))
RULE_TABLE = build/generated/rule_table.cpp
RULE_GEN   = build/rule-catalog-gen
OBJS       = $(SOURCES:.cpp=.o) $(RULE_TABLE:.cpp=.o)

# Install and upgrade scripts live at the top level, as in PostgreSQL's contrib.
# Released scripts are committed and never edited; the scripts of the version
# under development are built from one fragment per feature in
# extension/<version>/ (sorted by file name), so features land without
# touching each other's SQL:
#   schema_oracle--<prev>--<version>.sql = the fragments
#   schema_oracle--<version>.sql         = schema_oracle--<prev>.sql + the fragments
PREV_VERSION = 0.1.0
FRAGMENTS    = $(sort $(wildcard extension/$(EXTVERSION)/*.sql))
DATA_built   = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql
DATA         = $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*.sql))

# pg_regress reads sql/*.sql and compares with expected/*.out (its defaults).
# The order comes from test/schedule, which the test runner also uses.
REGRESS      = $(shell sed -n 's/^test: *//p' test/schedule)

PG_CONFIG  ?= pg_config

PG_CPPFLAGS = -I$(srcdir)/include -DSCHEMA_ORACLE_VERSION='"$(EXTVERSION)"'
PG_CXXFLAGS = -std=c++17 -Wno-register -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
              -fno-omit-frame-pointer -MMD -MP
SHLIB_LINK  = -lstdc++ -Wl,--version-script=$(srcdir)/exports.map

EXTRA_CLEAN = $(OBJS:.o=.d) build results regression.diffs regression.out

# Debian builds PostgreSQL with LLVM, so PGXS would also compile every .cpp
# to bitcode with clang and no -std flag, which fails on C++17. The only cost
# of skipping it is that the JIT cannot inline our functions.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Header dependency tracking (Debian's PGXS has autodepend off).
-include $(OBJS:.o=.d)

$(shlib): exports.map

$(RULE_GEN): tools/rule_catalog_gen.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O1 -Wall -Wextra -o $@ $<

$(RULE_TABLE): $(RULE_GEN) $(RULE_DATA)
	@mkdir -p $(dir $@)
	$(RULE_GEN) $@ $(RULE_DATA)

$(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql: $(FRAGMENTS) $(EXTENSION).control scripts/build-install-sql.sh
	bash $(srcdir)/scripts/build-install-sql.sh upgrade $(PREV_VERSION) $(EXTVERSION) >$@

$(EXTENSION)--$(EXTVERSION).sql: $(EXTENSION)--$(PREV_VERSION).sql $(FRAGMENTS) $(EXTENSION).control scripts/build-install-sql.sh
	bash $(srcdir)/scripts/build-install-sql.sh full $(PREV_VERSION) $(EXTVERSION) >$@

# schema_oracle_check: the command-line client of check() (docs/check.md), a
# C++ program on libpq installed next to PostgreSQL's own programs, as
# pg_repack installs its client. Not part of the module (src/cli is not in
# SOURCES).
CLI         = build/schema_oracle_check
# It shares PostgreSQL's JSON string escaping with the core (src/upstream/json.cpp).
CLI_SOURCES = $(sort $(wildcard $(srcdir)/src/cli/*.cpp)) $(srcdir)/src/upstream/json.cpp
CLI_HEADERS = $(wildcard $(srcdir)/src/cli/*.hpp) $(srcdir)/include/schema_oracle/upstream/json.hpp

all: $(CLI)

$(CLI): $(CLI_SOURCES) $(CLI_HEADERS) $(EXTENSION).control
	@mkdir -p build
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -DSCHEMA_ORACLE_VERSION='"$(EXTVERSION)"' \
	    -I$(srcdir)/include -I$(shell $(PG_CONFIG) --includedir) $(CLI_SOURCES) \
	    -L$(shell $(PG_CONFIG) --libdir) -lpq -o $@

install: install-cli
install-cli: $(CLI)
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) $(CLI) '$(DESTDIR)$(bindir)/schema_oracle_check'

uninstall: uninstall-cli
uninstall-cli:
	rm -f '$(DESTDIR)$(bindir)/schema_oracle_check'

.PHONY: install-cli uninstall-cli
# C++ style: .clang-format over src include test tools (Debian's clang-format).
#   make format          rewrite the files in place
#   make format-check    list the files that differ; fails if any does
.PHONY: format format-check
format:
	bash $(srcdir)/scripts/format-files.sh | xargs clang-format -i --style=file

format-check:
	bash $(srcdir)/scripts/format-check.sh

# The DDL fuzzer's long run (the test command runs the default size):
#   make fuzz-long       200000 statements per mode (SO_FUZZ_SEED picks the seed)
.PHONY: fuzz-long
fuzz-long:
	SO_SUITES="fuzz crashscan" SO_FUZZ_STATEMENTS=$${SO_FUZZ_STATEMENTS:-200000} bash $(srcdir)/scripts/test.sh

# The test-only module has its own PGXS Makefile; clean it with the rest.
clean: clean-test-module
.PHONY: clean-test-module
clean-test-module:
	$(MAKE) -C $(srcdir)/test/modules/schema_oracle_test clean
