#!/usr/bin/env bash
# Install, prepare the database (schema, default data, a first admin) and
# serve the API with gunicorn on http://127.0.0.1:5000, with the live event
# stream and the webhook worker beside it.
# With DATABASE_URL / REDIS_URL unset, bundled servers run under ./var/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements.txt
mkdir -p var
if [ -z "${SECRET_KEY:-}" ]; then
  # A trial install gets its own random key, kept across restarts.
  [ -s var/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' > var/secret_key
  SECRET_KEY=$(cat var/secret_key)
  export SECRET_KEY
fi
.venv/bin/python manage.py setup
# The live event stream (port EVENT_STREAM_PORT, 5001) and the webhook worker
# run beside gunicorn; the three stop together, whichever ends first.
.venv/bin/python events_server.py &
.venv/bin/python -m app.webhook_worker &
.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app "$@" &
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT INT TERM
wait -n
