# mmx: the two commands of the README are `make run` (the main job) and `make test`.
# Both set up everything on a fresh machine: a virtual environment with mmx and its
# dependencies, and (as root, on Debian/Ubuntu) the OCR engines from apt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Every install takes its versions from constraints.txt (build tools included), so
# a set-up here, on a developer's machine and in CI gets the same packages each time.
CONSTRAINTS := constraints.txt
PIP        := $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS)
PIP_PINNED := $(PIP) --build-constraint $(CONSTRAINTS) $$(pkg-config --exists tesseract lept 2>/dev/null && echo --no-binary tesserocr)
# the main job's packages (mmx and its `eval` extra) / everything, dev tools included
RUN_STAMP := $(VENV)/.mmx-run-installed
STAMP     := $(VENV)/.mmx-installed
# Tesseract reads back the scripts RapidOCR's shipped models do not cover. mmx runs it
# in-process through tesserocr, built against this libtesseract (the -dev packages) so
# results are those of the system's tesseract; without them pip takes tesserocr's wheel,
# which bundles a newer tesseract (ocr-table's Hindi scores differ, see docs/ocr_speed.md).
TESS_LANGS := eng deu fra tur vie swa ell rus kaz kir ara fas heb hin ben tam tha amh jpn kor chi-sim chi-tra
# Colour emoji (CBDT bitmaps) for RGB profiles; without it emoji fall back to the bundled monochrome Noto Emoji.
APT_EMOJI  := fonts-noto-color-emoji
APT_PKGS   := tesseract-ocr $(addprefix tesseract-ocr-,$(TESS_LANGS)) libtesseract-dev libleptonica-dev g++ pkg-config $(APT_EMOJI)
# The speed peer of `mmx bench render --vs pixel-renderer` (PangoCairo) builds against these.
APT_PEER   := gcc pkg-config libcairo2-dev libgirepository1.0-dev gir1.2-pango-1.0 libpango1.0-dev
# Noto for fontconfig, so the peer's speed run is like for like (without them it draws hex boxes).
APT_FONTS  := fonts-noto-core fonts-noto-cjk
# The demo's browser test runs Debian's Chromium through Playwright (no browser download);
# Noto lets the page show Devanagari and the other scripts it is tested with.
APT_BROWSER := chromium fonts-noto-core

.PHONY: setup venv sysdeps sysdeps-ocr sysdeps-browser peer run tour test lint bench bench-setup constraints clean

# A virtual environment whose pip is the pinned one (a new venv's pip may predate
# --build-constraint).
venv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

# `make run`: only what the main job needs (no torch, no training or demo packages).
$(RUN_STAMP): pyproject.toml $(CONSTRAINTS)
	@$(MAKE) --no-print-directory sysdeps-ocr venv
	$(PIP_PINNED) -e ".[eval]"
	$(BIN)/python -c "from mmx.render.fonts import prepare_fonts; prepare_fonts()"
	touch $(RUN_STAMP)

# `make setup` / `make test`: every extra and the dev tools (a superset of the main job's).
$(STAMP): pyproject.toml $(CONSTRAINTS)
	@$(MAKE) --no-print-directory sysdeps venv
	$(PIP_PINNED) -e ".[dev]"
	$(BIN)/python -c "from mmx.render.fonts import prepare_fonts; prepare_fonts()"
	touch $(STAMP) $(RUN_STAMP)

setup: $(STAMP)

# System packages from Debian; needs root. Others: see README ("Without root").
sysdeps: sysdeps-ocr sysdeps-browser

# OCR engines for the main job and the OCR read-back.
sysdeps-ocr:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx hin \
	    && pkg-config --exists tesseract lept 2>/dev/null && fc-list 2>/dev/null | grep -q NotoColorEmoji; then \
	  echo "tesseract with language data and the colour emoji font are installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	else \
	  echo "note: tesseract is missing; OCR read-back falls back to RapidOCR (Latin, CJK) only." ; \
	  echo "      as root: apt-get install $(APT_PKGS)"; \
	fi

# The demo test's browser.
sysdeps-browser:
	@if command -v chromium >/dev/null 2>&1; then \
	  echo "chromium is installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_BROWSER) >/dev/null; \
	else \
	  echo "note: chromium is missing; the demo's browser test will skip." ; \
	  echo "      as root: apt-get install $(APT_BROWSER)"; \
	fi

# The main job: cross-script scorecard VQA on its offline default (a generated
# MMCricBench-schema set, answered by the ocr-table baseline); results in runs/.
run: $(RUN_STAMP)
	$(BIN)/mmx eval --bench mmcric

# The rendering tour of the renderer issue: subword vs visual tokens over the shipped samples.
tour: setup
	$(BIN)/mmx tokens --corpus mmx/assets/samples --profile seetok --chart tokens_seetok.png

# The suite on every core (pytest-xdist). A test file runs whole on one worker, so the tiny
# models a module's fixtures train or build are made once, not once per worker.
# TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto
test: setup peer
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# The speed peer (pixel-renderer on PangoCairo) for its adapter's tests: its
# Python bindings build against Debian's -dev packages. Without root its tests skip.
peer: setup
	@if $(BIN)/python -c "import pixel_renderer.renderer" >/dev/null 2>&1; then \
	  echo "pixel-renderer is installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PEER) >/dev/null && \
	  $(PIP_PINNED) -e ".[speed]"; \
	else \
	  echo "note: not root: pixel-renderer (the speed peer) is not installed; its tests will skip"; \
	fi

lint: setup
	$(BIN)/ruff check mmx tests benchmarks experiments figures

# Side-by-side throughput against pixel-renderer; CORPUS defaults to the shared NTREX sample.
CORPUS ?= ../shared/corpora/parallel
bench-setup: peer
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_FONTS) >/dev/null; fi

bench: bench-setup
	$(BIN)/mmx bench render --corpus $(CORPUS) --vs pixel-renderer

# Rewrite constraints.txt from the environment after a deliberate upgrade: exact
# versions of everything installed but mmx (a package installed from a file is
# pinned by its version, never by the file's path).
constraints: setup
	{ sed -n '/^#/p' $(CONSTRAINTS); \
	  $(BIN)/python -m pip freeze --exclude-editable --all | \
	  sed -E 's|^([A-Za-z0-9._-]+) @ .*/[^/]+-([0-9][^-/]*)-[^/]*\.whl.*$$|\1==\2|'; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
