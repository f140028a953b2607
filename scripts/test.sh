#!/usr/bin/env bash
# Run the whole test suite. Uses DATABASE_URL / REDIS_URL when set (their
# server gets a separate test database), otherwise the bundled servers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements-test.txt
source scripts/ffmpeg.sh
# Two pytest-xdist workers by default (TEST_WORKERS): worker N uses test
# slot ATELIER_TEST_SLOT + N (its own databases and Redis numbers), so at
# most 7 slots in all (Redis has 16 databases). Files stay whole on a worker.
parallel=(-n "${TEST_WORKERS:-2}" --dist loadfile)
if [ "$#" -gt 0 ]; then
  exec .venv/bin/python -m pytest "${parallel[@]}" "$@"
fi
# The event log's cursor waits for every older transaction of the whole
# PostgreSQL cluster, and each test holds one open: these files run alone,
# after the rest.
alone=(tests/test_events_log.py tests/test_webhooks.py)
.venv/bin/python -m pytest "${parallel[@]}" "${alone[@]/#/--ignore=}" tests
exec .venv/bin/python -m pytest "${alone[@]}"
