# Every target creates .venv itself, so each works on a fresh checkout.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench package translations clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ## open the app on the default data folder (first run shows a short setup)
	$(BIN)/outreach

test: $(STAMP) ## install everything and run every test (2 workers)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n 2 --durations=15

lint: $(STAMP) ## ruff, formatting, mypy outside ui/, and the layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy outreach_app
	$(BIN)/lint-imports

bench: $(STAMP) ## speed figures on a year of data; memory on 1,000,000 encounters (~15 min more)
	$(BIN)/python benchmarks/run_all.py --memory-scale 4 $(BENCH_ARGS)  # BENCH_ARGS='--memory-data DIR' keeps that data

package: $(STAMP) ## build a one-folder app with PyInstaller (see packaging/README.md)
	$(BIN)/pip install --quiet 'pyinstaller>=6,<7'
	$(BIN)/pyinstaller packaging/outreach.spec --noconfirm

LOCALE := outreach_app/resources/locale
translations: $(STAMP) ## extract the texts, update the fr and es catalogues, compile the .mo files (commit all three)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _nl:1,2 --no-location --sort-output \
		--project "Outreach Tally" --copyright-holder "Outreach Tally contributors" \
		-o $(LOCALE)/outreach.pot .
	$(BIN)/pybabel update -i $(LOCALE)/outreach.pot -d $(LOCALE) -D outreach \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALE) -D outreach --statistics

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
