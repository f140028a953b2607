"""Which contract routes the app serves: compares app.url_map with a
routes.tsv (method(s) <tab> rule <tab> area) and prints, per area, how many
method-routes are served and which are missing.

    DATABASE_URL=... .venv/bin/python scripts/route_coverage.py path/to/routes.tsv [--missing]
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from config import Config  # noqa: E402


def normalise(rule):
    return re.sub(r"<[^>]+>", "<>", rule.rstrip("/")) or "/"


def main():
    path = sys.argv[1]
    show_missing = "--missing" in sys.argv
    app = create_app(Config(SECRET_KEY="route-coverage-secret-key-long-enough"))
    served = {(method, normalise(rule.rule)) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    done, total, missing = collections.Counter(), collections.Counter(), []
    with open(path) as routes:
        next(routes)
        for line in routes:
            methods, rule, area = line.rstrip("\n").split("\t")[:3]
            for method in methods.split(","):
                total[area] += 1
                if (method, normalise(rule)) in served:
                    done[area] += 1
                else:
                    missing.append(f"{method} {rule} ({area})")
    for area in sorted(total, key=lambda a: (done[a] == total[a], a)):
        print(f"{area:20s} {done[area]:4d} / {total[area]:4d}")
    print(f"{'all':20s} {sum(done.values()):4d} / {sum(total.values()):4d}")
    if show_missing:
        print("\n".join(missing))


if __name__ == "__main__":
    main()
