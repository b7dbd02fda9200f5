# walletpos — two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# fonts-noto-cjk: Japanese on the counter screen; libpulse0: QtMultimedia's scan beep.
SYSTEM_PACKAGES := libzbar0 libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 \
	fonts-noto-cjk libpulse0
# Qt Linguist catalogues for the screens, compiled from the .ts sources in resources/i18n.
QM := $(patsubst %.ts,%.qm,$(wildcard resources/i18n/*.ts))

.PHONY: setup demo test lint system-packages translations i18n-update clean

setup: system-packages $(STAMP) translations

# Installs what the scanner and the Qt screens need from the OS when we are root; a non-root
# user installs them by hand (see README).
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check core wallet_sync pos_app tests bench
	$(BIN)/mypy core wallet_sync

clean:
	rm -rf $(VENV) build *.egg-info $(QM)
