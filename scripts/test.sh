#!/usr/bin/env bash
# Run the whole test suite. Uses DATABASE_URL / REDIS_URL when set (their
# server gets a separate test database), otherwise the bundled servers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements-test.txt
exec .venv/bin/python -m pytest "$@"
