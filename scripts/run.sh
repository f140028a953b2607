#!/usr/bin/env bash
# Install, prepare the database (schema, default data, a first admin) and
# serve the API with gunicorn on http://127.0.0.1:5000.
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
exec .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app "$@"
