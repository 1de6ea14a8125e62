# mmx: the two commands of the README are `make run` (the main job) and `make test`.
# Both set up everything on a fresh machine: a virtual environment with mmx and its
# dependencies, and (as root, on Debian/Ubuntu) the OCR engines from apt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.mmx-installed
# Tesseract reads back the scripts RapidOCR's shipped models do not cover.
TESS_LANGS := eng deu fra tur vie swa ell rus kaz kir ara fas heb hin ben tam tha amh jpn kor chi-sim chi-tra
APT_PKGS   := tesseract-ocr $(addprefix tesseract-ocr-,$(TESS_LANGS)) $(APT_EMOJI)
# Colour emoji (CBDT bitmaps) for RGB profiles; without it emoji fall back to the bundled monochrome Noto Emoji.
APT_EMOJI  := fonts-noto-color-emoji
# The speed peer of `mmx bench render --vs pixel-renderer` (PangoCairo) builds against these.
APT_PEER   := gcc pkg-config libcairo2-dev libgirepository1.0-dev gir1.2-pango-1.0 libpango1.0-dev
# Noto for fontconfig, so the peer's speed run is like for like (without them it draws hex boxes).
APT_FONTS  := fonts-noto-core fonts-noto-cjk
# The demo's browser test runs Debian's Chromium through Playwright (no browser download);
# Noto lets the page show Devanagari and the other scripts it is tested with.
APT_BROWSER := chromium fonts-noto-core

.PHONY: setup sysdeps peer run tour test lint bench bench-setup clean

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory sysdeps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -c "from mmx.render.fonts import prepare_fonts; prepare_fonts()"
	touch $(STAMP)

setup: $(STAMP)

# OCR engines and the demo test's browser from Debian packages; needs root. Others: see README ("Without root").
sysdeps:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx hin \
	    && fc-list 2>/dev/null | grep -q NotoColorEmoji; then \
	  echo "tesseract with language data and the colour emoji font are installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	else \
	  echo "note: tesseract is missing; OCR read-back falls back to RapidOCR (Latin, CJK) only." ; \
	  echo "      as root: apt-get install $(APT_PKGS)"; \
	fi
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
run: setup
	$(BIN)/mmx eval --bench mmcric

# The rendering tour of the renderer issue: subword vs visual tokens over the shipped samples.
tour: setup
	$(BIN)/mmx tokens --corpus mmx/assets/samples --profile seetok --chart tokens_seetok.png

test: setup peer
	$(BIN)/python -m pytest -q

# The speed peer (pixel-renderer on PangoCairo) for its adapter's tests: its
# Python bindings build against Debian's -dev packages. Without root its tests skip.
peer: setup
	@if $(BIN)/python -c "import pixel_renderer.renderer" >/dev/null 2>&1; then \
	  echo "pixel-renderer is installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PEER) >/dev/null && \
	  $(BIN)/python -m pip install --quiet -e ".[bench]"; \
	else \
	  echo "note: not root: pixel-renderer (the speed peer) is not installed; its tests will skip"; \
	fi

lint: setup
	$(BIN)/ruff check mmx tests benchmarks

# Side-by-side throughput against pixel-renderer; CORPUS defaults to the shared NTREX sample.
CORPUS ?= ../shared/corpora/parallel
bench-setup: peer
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_FONTS) >/dev/null; fi

bench: bench-setup
	$(BIN)/mmx bench render --corpus $(CORPUS) --vs pixel-renderer

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
