"""A small closed-loop HTTP load generator (several processes, each sending
one request after another for a fixed time). Good enough for ratios measured
in one run on one machine; not an absolute throughput tool."""
import multiprocessing
import time

import requests


def _worker(method, url, kwargs, seconds, out):
    session = requests.Session()
    count = errors = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        response = session.request(method, url, **kwargs)
        if response.status_code == 200:
            count += 1
        else:
            errors += 1
    out.put((count, errors))


def requests_per_second(method, url, seconds=5.0, concurrency=4, **kwargs):
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_worker, args=(method, url, kwargs, seconds, out))
             for _ in range(concurrency)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    count = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    if errors:
        raise RuntimeError(f"{errors} requests to {url} failed")
    return count / elapsed
