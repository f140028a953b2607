"""A small closed-loop HTTP load generator (several processes, each sending
one request after another for a fixed time). Good enough for ratios measured
in one run on one machine; not an absolute throughput tool."""
import itertools
import multiprocessing
import time

import requests


def _worker(requests_of, index, seconds, warmup, out):
    session = requests.Session()
    latencies = []
    errors = 0
    counted = time.perf_counter() + warmup
    deadline = counted + seconds
    for method, url, kwargs in requests_of(index):
        started = time.perf_counter()
        if started >= deadline:
            break
        response = session.request(method, url, **kwargs)
        if response.status_code >= 300:
            errors += 1
        elif started >= counted:
            latencies.append(time.perf_counter() - started)
    out.put((latencies, errors))


def measure(requests_of, seconds=5.0, concurrency=4, warmup=0.0):
    """Run `concurrency` client processes for `seconds` (after `warmup`
    seconds not counted: connections, caches); process i sends the requests
    of the iterator requests_of(i), each (method, url, kwargs). Returns
    (requests per second, p50 seconds, p99 seconds)."""
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_worker,
                                     args=(requests_of, i, seconds, warmup, out))
             for i in range(concurrency)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = seconds
    errors = sum(r[1] for r in results)
    if errors:
        raise RuntimeError(f"{errors} requests failed")
    latencies = sorted(itertools.chain.from_iterable(r[0] for r in results))
    if not latencies:
        raise RuntimeError("no request completed")
    return (len(latencies) / elapsed, latencies[len(latencies) // 2],
            latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))])


class _Same:
    """The same request forever (a picklable requests_of)."""

    def __init__(self, method, url, kwargs):
        self.request = (method, url, kwargs)

    def __call__(self, index):
        return itertools.repeat(self.request)


def requests_per_second(method, url, seconds=5.0, concurrency=4, **kwargs):
    return measure(_Same(method, url, kwargs), seconds, concurrency)[0]
