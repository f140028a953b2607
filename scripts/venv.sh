# Sourced by the other scripts: make .venv hold exactly the pinned
# requirements given as $1, reinstalling only when that file changed.
set -euo pipefail
requirements="$1"
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(basename "$requirements")
if [ ! -f "$stamp" ] || ! cmp -s <(cat requirements*.txt) "$stamp"; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cat requirements*.txt > "$stamp"
fi
