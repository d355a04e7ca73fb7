# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Material 9.8 prints a long banner about MkDocs 2 on every build.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test bench lint clean chromium

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and exactly: elsewhere a looser request can pull a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet ".[test]"
	touch $@

serve: $(INSTALLED)  ## the site on http://127.0.0.1:8000, rebuilt on every edit
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(INSTALLED)  ## a static build into site/; a failed build leaves site/ as it was
	rm -rf site.partial
	$(BIN)/mkdocs build --strict --site-dir site.partial
	rm -rf site && mv site.partial site

# pytest's exit 5 means it collected nothing (e.g. a -k that matches no test): say
# so plainly instead of failing as if a test had failed.
test: $(INSTALLED) chromium  ## the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS) || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc; }

bench: $(INSTALLED)  ## cold, warm and one-snippet builds, test time, page weights
	$(BIN)/python tests/bench.py

lint: $(INSTALLED)
	$(BIN)/ruff check snippets hooks tests
	$(BIN)/ruff format --check snippets hooks tests

# Browser tests drive Debian's Chromium; install it where we may (root, apt).
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	  || echo "No /usr/bin/chromium: browser tests will be skipped (they fail under CI=true)."

clean:
	rm -rf site site.partial .cache .pytest_cache
