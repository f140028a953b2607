"""Requests per second of GET /auth/authenticated and POST /auth/login under
gunicorn on loopback, each beside the floor (bench/floor_app.py on the same
gunicorn settings) as a ratio measured in the same run.

    .venv/bin/python -m bench.auth_rps [--seconds 5] [--workers 2]
"""
import argparse

import requests

from bench.load import requests_per_second
from tests.live_server import LiveServer

ADMIN = "bench-admin@example.com"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    api = LiveServer("atelier_bench", redis_db=12, workers=args.workers)
    password = api.setup(ADMIN)
    floor = LiveServer("atelier_bench", redis_db=12, workers=args.workers, app="bench.floor_app:app")
    api.start()
    floor.start()
    try:
        login = {"email": ADMIN, "password": password}
        token = requests.post(api.url + "/auth/login", json=login).json()["access_token"]
        run = dict(seconds=args.seconds, concurrency=args.concurrency)
        floor_rps = requests_per_second("GET", floor.url + "/", **run)
        authenticated_rps = requests_per_second(
            "GET", api.url + "/auth/authenticated",
            headers={"Authorization": f"Bearer {token}"}, **run)
        login_rps = requests_per_second("POST", api.url + "/auth/login", json=login, **run)
    finally:
        api.stop()
        floor.stop()
    print(f"gunicorn workers={args.workers}, client processes={args.concurrency}, "
          f"{args.seconds:.0f} s per measure")
    print(f"floor (bare Flask, constant JSON)  {floor_rps:8.1f} req/s  ratio 1.00")
    print(f"GET /auth/authenticated            {authenticated_rps:8.1f} req/s  "
          f"ratio {authenticated_rps / floor_rps:.2f}")
    print(f"POST /auth/login (bcrypt)          {login_rps:8.1f} req/s  "
          f"ratio {login_rps / floor_rps:.3f}")


if __name__ == "__main__":
    main()
