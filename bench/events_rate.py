"""Live events: how many API writes per second reach 200 connected socket.io
clients, and the end-to-end latency from the write to each client's receipt.

    .venv/bin/python -m bench.events_rate [--clients 200] [--events 400] [--writers 4]

Method: gunicorn (2 workers) and one events server on loopback, with the
bundled or configured PostgreSQL and Redis. Client processes (50 clients
each, python-socketio AsyncClient over WebSocket) connect with an admin
token. Writer threads then create task types (POST /data/task-types, one
event each) back to back. Each write's start time and each client's receipt
time are wall-clock times on this machine; latency = receipt - write start,
over every (event, client) pair. Rate = events / (first write start to the
last receipt by the last client). The same writes without any client give
the API's own rate in the same run, as the reference.
"""
import argparse
import asyncio
import multiprocessing
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
import socketio

from tests.live_server import LiveServer
from tests.test_events_server import NAMESPACE, EventsServer

ADMIN = "bench-events@example.com"
PER_PROCESS = 50


def _clients(url, token, count, expected, ready, out):
    """One process: `count` clients; returns {event id: [receipt times]}."""

    async def run():
        receipts = {}
        done = asyncio.Event()

        def client():
            sio = socketio.AsyncClient(reconnection=False)

            @sio.on("task-type:new", namespace=NAMESPACE)
            async def received(data):
                receipts.setdefault(data["task_type_id"], []).append(time.time())
                if sum(map(len, receipts.values())) >= expected * count:
                    done.set()
            return sio

        sios = [client() for _ in range(count)]
        await asyncio.gather(*(s.connect(url, namespaces=[NAMESPACE], transports=["websocket"],
                                         auth={"token": token}, wait_timeout=30) for s in sios))
        ready.set()
        try:
            await asyncio.wait_for(done.wait(), timeout=120)
        except asyncio.TimeoutError:
            pass
        await asyncio.gather(*(s.disconnect() for s in sios))
        return receipts

    out.put(asyncio.run(run()))


def _write(api_url, token, count, writers, rate=None):
    """Create `count` task types from `writers` threads, back to back or at
    `rate` per second; {id: start time}."""
    starts, lock = {}, threading.Lock()
    session = threading.local()
    first = time.time()

    def one(n):
        http = getattr(session, "http", None) or requests.Session()
        session.http = http
        if rate:
            time.sleep(max(0.0, first + n / rate - time.time()))
        began = time.time()
        response = http.post(api_url + "/data/task-types", json={"name": f"B {uuid.uuid4()}"},
                             headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()
        with lock:
            starts[response.json()["id"]] = began

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(one, range(count)))
    return starts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--paced-rate", type=float, default=25.0)
    parser.add_argument("--paced-events", type=int, default=100)
    args = parser.parse_args()
    expected = args.events + args.paced_events

    api = LiveServer("atelier_bench", redis_db=12, workers=2)
    password = api.setup(ADMIN)
    stream = EventsServer(api).launch()
    api.start()
    stream.wait()
    try:
        token = requests.post(api.url + "/auth/login",
                              json={"email": ADMIN, "password": password}).json()["access_token"]
        began = time.time()
        _write(api.url, token, args.events, args.writers)
        alone = args.events / (time.time() - began)

        out, procs, readies = multiprocessing.Queue(), [], []
        for first in range(0, args.clients, PER_PROCESS):
            ready = multiprocessing.Event()
            count = min(PER_PROCESS, args.clients - first)
            procs.append(multiprocessing.Process(
                target=_clients, args=(stream.url, token, count, expected, ready, out)))
            readies.append(ready)
            procs[-1].start()
        for ready in readies:
            ready.wait(120)
        paced = _write(api.url, token, args.paced_events, args.writers, args.paced_rate)
        flat_out = _write(api.url, token, args.events, args.writers)
        receipts = {}
        for _ in procs:
            for event_id, times in out.get().items():
                receipts.setdefault(event_id, []).extend(times)
        for proc in procs:
            proc.join()
    finally:
        stopping = stream.stop()
        api.stop()
        stopping.wait(timeout=30)

    print(__doc__.split("Method:")[1].strip())
    print()
    print(f"clients={args.clients}, writer threads={args.writers}")
    print(f"API writes, no client connected     {alone:8.1f} events/s")
    for label, starts in ((f"paced at {args.paced_rate:g} writes/s", paced),
                          ("writes back to back", flat_out)):
        latencies = sorted(t - starts[e] for e in starts for t in receipts.get(e, ()))
        last = max(t for e in starts for t in receipts.get(e, ()))
        rate = len(starts) / (last - min(starts.values()))
        p50, p99 = (statistics.quantiles(latencies, n=100)[i] for i in (49, 98))
        print(f"{label}: {len(starts)} events, {len(latencies)}/{len(starts) * args.clients} "
              f"received")
        print(f"  received by every client          {rate:8.1f} events/s "
              f"({rate * args.clients:.0f} messages/s)")
        print(f"  latency write -> receipt          p50 {p50 * 1000:7.1f} ms   "
              f"p99 {p99 * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
