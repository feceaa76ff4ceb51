#!/usr/bin/env bash
# One command to check everything: installs the test dependencies (into .venv, and Debian's
# Chromium for the browser tests when it is missing), then runs ruff, the import contract and
# the whole test suite. CI (.ci/run) runs exactly this. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test,dask]'

if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser tests..."
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

echo "== ruff"
.venv/bin/ruff check .
echo "== import contracts"
.venv/bin/lint-imports --no-cache
echo "== tests"
.venv/bin/python -m pytest "$@"
