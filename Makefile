# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The one torch pin is in pyproject.toml.
TORCH_VERSION := $(shell sed -n 's/.*"torch==\([^"]*\)".*/\1/p' pyproject.toml)
PIP_VERSION := 26.3
PIP_TOOLS := pip-tools==7.6.2
# uv installs the lock, many packages at a time: 12 s here with its cache warm,
# against pip's 35 s. It reads none of pip's settings (indexes, certificates) and
# downloads from PyPI: 52 s here with its cache cold. Both installers compile what
# they install: these machines set PYTHONDONTWRITEBYTECODE, under which a process
# run outside `make` (see below) compiles again every module not compiled here.
UV := uv==0.13.8
# Where no CPU torch is on disk (GitHub), pass the CPU index, or the lock gets
# CUDA's packages: make upgrade LOCK_PIP_ARGS="--extra-index-url <CPU index>".
LOCK_PIP_ARGS ?=
# torchvision (which timm requires) stays out: PyPI's wheels are CUDA builds that
# fail to import beside a CPU torch, and torchmetrics (Lightning) imports it when it
# is there. The tests use timm's schedulers only, which need torch alone.
COMPILE := pip-compile --quiet --extra test --generate-hashes --strip-extras \
  --unsafe-package torch --unsafe-package torchvision --no-emit-index-url --no-emit-find-links \
  --output-file requirements.lock --pip-args "$(LOCK_PIP_ARGS)" pyproject.toml
# Material 9.8 prints a long banner about MkDocs 2 on every build.
export NO_MKDOCS_2_WARNING := 1
# Python keeps what it compiles of hooks/ and tests/ in __pycache__/ (ignored by
# git) even where the environment says not to: else every snippet worker, lab
# kernel and test build compiles the same modules again (the build tests took
# 41 CPU-s, now 36). `make PYTHONDONTWRITEBYTECODE=1 ...` keeps a tree unwritten.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: serve build test test-latest lock upgrade bench lint clean chromium

# Every package at the version in requirements.lock, checked against its hashes.
# torch is installed apart, exactly, by pip (uv does not look where these machines
# keep torch's CPU build): its wheel differs by platform and index (the
# CPU build; see the README), so the lock holds everything but torch itself. What
# torch pulls in that the lock also holds is then put at the locked version.
$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip==$(PIP_VERSION) $(UV)
	$(BIN)/pip install --quiet torch==$(TORCH_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --require-hashes \
	  --compile-bytecode -r requirements.lock
	$(BIN)/pip check | grep -v -e "^timm .* requires torchvision, which is not installed" \
	  -e "^No broken requirements found" | { ! grep .; }
	touch $@

serve: $(INSTALLED)  ## the site on http://127.0.0.1:8000, rebuilt on every edit
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(INSTALLED)  ## a static build into site/; a failed build leaves site/ as it was
	rm -rf site.partial
	$(BIN)/mkdocs build --strict --site-dir site.partial
	rm -rf site && mv site.partial site

# pytest's exit 5 means it collected nothing (e.g. a -k that matches no test): say
# so plainly instead of failing as if a test had failed.
NOTHING_COLLECTED_IS_OK := || { rc=$$?; \
  if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc; }

test: $(INSTALLED) chromium  ## the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS) $(NOTHING_COLLECTED_IS_OK)

# The lock is made from pyproject.toml by pip-tools, in a venv of its own (so the
# site's venv holds exactly the lock). `make lock` after editing pyproject.toml's
# dependencies keeps every other pin; `make upgrade` moves every pin to the newest
# version pyproject.toml allows. Both need PyPI; run `make test` after either.
.venv-lock/bin/pip-compile:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip==$(PIP_VERSION) $(PIP_TOOLS)

lock: .venv-lock/bin/pip-compile
	.venv-lock/bin/$(COMPILE)

upgrade: .venv-lock/bin/pip-compile
	.venv-lock/bin/$(COMPILE) --upgrade

# A dry run of the next upgrade: the newest versions pyproject.toml allows, in a
# venv of their own, through the whole suite. The lock and .venv stay as they are.
test-latest: chromium
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --upgrade pip
	.venv-latest/bin/pip install --quiet torch==$(TORCH_VERSION)
	.venv-latest/bin/pip install --quiet --upgrade --upgrade-strategy eager ".[test]"
	.venv-latest/bin/pip uninstall --quiet --yes torchvision  # see COMPILE above
	.venv-latest/bin/pip list --format=freeze > .venv-latest/versions.txt
	.venv-latest/bin/python -m pytest $(PYTEST_ARGS) -p no:cacheprovider \
	  --ignore tests/test_lock.py $(NOTHING_COLLECTED_IS_OK)

bench: $(INSTALLED)  ## build, serve and suite times with their budgets; page weights
	$(BIN)/python tests/bench.py

# ESLint and its one plugin-free config come from the npm registry at the versions
# package-lock.json pins, into node_modules/ (ignored by git); only `make lint`
# needs them: the site and its tests use no npm package.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

lint: $(INSTALLED) node_modules/.installed
	$(BIN)/ruff check snippets hooks tests
	$(BIN)/ruff format --check snippets hooks tests
	node_modules/.bin/eslint docs/javascripts tests/js

# Browser tests drive Debian's Chromium; install it where we may (root, apt).
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	  || echo "No /usr/bin/chromium: browser tests will be skipped (they fail under CI=true)."

clean:
	rm -rf site site.partial .cache .pytest_cache .venv-lock .venv-latest node_modules
