"""A compact HTTP load generator for bench/load.py: the standard library only, no Django.

Two ways to drive a server:

- open_loop(fetch, rate, duration): requests are scheduled on a clock, the i-th at
  start + i / rate, and each is handed to a thread of its own at its time whether or not the
  earlier ones have been answered. Latency is measured from the *scheduled* time, so a server
  (or a client) that falls behind shows it as queueing in the latency instead of quietly sending
  fewer requests (no "coordinated omission").
- closed_loop(fetch, concurrency, duration): `concurrency` connections, each sending its next
  request when the previous one is answered; latency from the moment it is sent. This measures
  the throughput a server sustains.

`fetch()` makes one request and returns its HTTP status; an exception counts as an error, and so
does any status but 200.
"""

from __future__ import annotations

import http.client
import itertools
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, every request answered 200
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)  # status (or exception name) -> count
    elapsed: float = 0.0  # seconds from the first request's time to the last answer

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def throughput(self) -> float:
        """Requests answered 200 per second."""
        return len(self.latencies) / self.elapsed if self.elapsed > 0 else 0.0

    def percentile(self, p: int) -> float | None:
        if not self.latencies:
            return None
        if len(self.latencies) == 1:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]

    def summary(self) -> dict:
        ms = {f"p{p}_ms": self.percentile(p) for p in (50, 95, 99)}
        return {
            "requests": self.requests,
            "ok": len(self.latencies),
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items(), key=str)},
            "seconds": round(self.elapsed, 2),
            "throughput_per_s": round(self.throughput, 1),
            **{k: None if v is None else round(v * 1000, 1) for k, v in ms.items()},
            "max_ms": round(max(self.latencies) * 1000, 1) if self.latencies else None,
        }


def _record(result: Result, lock: threading.Lock, status: object, latency: float) -> None:
    with lock:
        result.statuses[status] += 1
        if status == 200:
            result.latencies.append(latency)
        else:
            result.errors += 1


def _call(fetch: Callable[[], int]) -> object:
    try:
        return fetch()
    except Exception as exc:  # a refused connection or a timeout is an error, not a crash
        return type(exc).__name__


def open_loop(
    fetch: Callable[[], int],
    rate: float,
    duration: float,
    *,
    max_in_flight: int = 512,
    clock: Callable[[], float] = time.perf_counter,
) -> Result:
    """round(rate × duration) requests, the i-th scheduled at start + i / rate and sent then by
    a thread of the pool, answered or not the ones before it; latency from the scheduled time.
    If all `max_in_flight` threads are busy, a request waits for one, and that wait is part of
    its latency too (it is measured from its scheduled time all the same)."""
    n = max(1, round(rate * duration))
    result, lock = Result(), threading.Lock()
    last_end = [0.0]

    def one(scheduled: float) -> None:
        status = _call(fetch)
        end = clock()
        _record(result, lock, status, end - scheduled)
        with lock:
            last_end[0] = max(last_end[0], end)

    start = clock() + 0.01
    with ThreadPoolExecutor(max_workers=max_in_flight, thread_name_prefix="open-loop") as pool:
        for i in range(n):
            scheduled = start + i / rate
            delay = scheduled - clock()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, scheduled)  # never waits for an answer
    result.elapsed = last_end[0] - start
    return result


def closed_loop(
    fetch: Callable[[], int],
    concurrency: int,
    duration: float | None = None,
    *,
    total: int | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Result:
    """`concurrency` connections, each sending its next request as soon as the previous one is
    answered, until `duration` seconds have passed or `total` requests have been sent."""
    if duration is None and total is None:
        raise ValueError("give a duration or a total")
    result, lock = Result(), threading.Lock()
    tickets = itertools.count()
    start = clock()
    deadline = start + duration if duration is not None else float("inf")

    def connection() -> None:
        while clock() < deadline and (total is None or next(tickets) < total):
            sent = clock()
            status = _call(fetch)
            _record(result, lock, status, clock() - sent)

    threads = [threading.Thread(target=connection) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.elapsed = clock() - start
    return result


def http_fetch(
    host: str, port: int, paths: Iterable[str], *, cookie: str = "", timeout: float = 30.0
) -> Callable[[], int]:
    """A fetch() for GET requests to host:port, one new connection each (gunicorn's sync
    workers close the connection after every response), the body read to its end. `paths` is
    cycled through, one path per request (a list of one path for a single page)."""
    cycle = itertools.cycle(list(paths))
    lock = threading.Lock()
    headers = {"Cookie": cookie} if cookie else {}

    def fetch() -> int:
        with lock:
            path = next(cycle)
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    return fetch
