# walletpos — two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# What the app takes from Debian at run time (Qt's X11/Wayland plugins, GL, fonts, sound, zbar,
# time zones): one list, commented there, shared with the .deb's Depends and checked against
# what the bundle really links (packaging/depends.py).
SYSTEM_PACKAGES := $(shell sed 's/\#.*//' packaging/system-packages.txt)
# What only the tests take from Debian (not the .deb's Depends): Chromium, which the head-office
# console's browser tests drive through Playwright (never a browser Playwright downloads).
TEST_PACKAGES := chromium
# Qt Linguist catalogues for the screens, compiled from the .ts sources in resources/i18n.
QM := $(patsubst %.ts,%.qm,$(wildcard resources/i18n/*.ts))

PACKAGE_STAMP := $(VENV)/.packaging
# PyInstaller's work folder (its analysis cache), kept between builds; CI keeps it too.
PYI_WORK ?= build/pyinstaller

.PHONY: setup demo test lint system-packages translations i18n-update clean package package-test \
	package-deps

setup: system-packages $(STAMP) translations

# Installs what the scanner, the Qt screens and the browser tests need from the OS when we are
# root; a non-root user installs them by hand (see README).
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES) $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    (apt-get install -y -q $$missing >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null)) || echo "warning: could not install$$missing"; \
	  else echo "warning: missing system packages:$$missing (see README)"; fi; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

translations: $(QM)

resources/i18n/%.qm: resources/i18n/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# After changing texts in pos_app/gui: refresh the .ts sources, then translate the new entries.
i18n-update: $(STAMP)
	$(BIN)/pyside6-lupdate $$(find pos_app/gui -name '*.py') -ts $(wildcard resources/i18n/*.ts)

demo: setup
	$(BIN)/walletpos demo

test: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

# The installable bundle (dist/walletpos) and dist/walletpos_VERSION_ARCH.deb: see packaging/.
package: setup $(PACKAGE_STAMP)
	rm -rf dist/walletpos dist/walletpos_*.deb
	$(BIN)/pyinstaller --noconfirm --log-level WARN --workpath $(PYI_WORK) --distpath dist \
	  packaging/walletpos.spec
	$(BIN)/python packaging/depends.py dist/walletpos --check packaging/system-packages.txt
	$(BIN)/python packaging/build_deb.py

# What building the bundle installs into the venv (PyInstaller): before anything runs beside it.
package-deps: setup $(PACKAGE_STAMP)

$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[package]'
	touch $(PACKAGE_STAMP)

# Smoke tests of what `make package` built, run as a store would (tests/packaging); the .deb
# part installs it with dpkg -i, so it needs root.
package-test: $(PACKAGE_STAMP)
	WALLETPOS_BUNDLE=$(CURDIR)/dist/walletpos \
	WALLETPOS_DEB="$(firstword $(wildcard $(CURDIR)/dist/walletpos_*.deb))" \
	  $(BIN)/python -m pytest -q tests/packaging

lint: setup
	$(BIN)/ruff check core wallet_sync pos_app tests bench
	$(BIN)/mypy core wallet_sync

clean:
	rm -rf $(VENV) build dist *.egg-info $(QM)
