#!/usr/bin/env bash
# Install, prepare the database (schema, default data, a first admin) and
# serve the API with gunicorn on http://127.0.0.1:5000, with the live event
# stream, the webhook worker (and with JOB_QUEUE=rq the job worker) beside it.
# With DATABASE_URL / REDIS_URL unset, bundled servers run under ./var/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements.txt
source scripts/ffmpeg.sh
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
# JOB_QUEUE=rq: movie normalization and playlist builds leave the request
# for a worker (start more on other hosts: python -m app.job_worker).
if [ "${JOB_QUEUE:-inline}" = rq ]; then
  .venv/bin/python -m app.job_worker &
fi
.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app "$@" &
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT INT TERM
wait -n
