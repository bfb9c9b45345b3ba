"""bench/loadgen.py, the load mode's generator: that the open loop sends on its clock without
waiting for answers and measures latency from the scheduled time. No server, no speed asserted:
the fetches here are stand-ins that block or sleep."""

import threading

from bench import loadgen


def test_open_loop_sends_without_waiting_for_answers():
    """Every request is sent before any is answered: the first fetch blocks until the last one
    has started. A generator that waited for answers would never get there (the fetch gives up
    after 5 s and the request counts as an error)."""
    n, started = 6, []
    all_sent = threading.Event()

    def fetch():
        started.append(1)
        if len(started) == n:
            all_sent.set()
        if not all_sent.wait(timeout=5):
            raise TimeoutError
        return 200

    result = loadgen.open_loop(fetch, rate=200, duration=n / 200)
    assert result.requests == n
    assert result.errors == 0
    assert result.statuses == {200: n}


def test_open_loop_latency_counts_from_the_scheduled_time():
    """One thread to send with and a server that takes 50 ms: the k-th request, scheduled at
    k × 10 ms, cannot be answered before (k + 1) × 50 ms, so its latency is at least
    50 + 40 k ms, the queueing behind the others included."""
    import time

    def fetch():
        time.sleep(0.05)
        return 200

    result = loadgen.open_loop(fetch, rate=100, duration=0.1, max_in_flight=1)
    assert result.requests == 10
    assert max(result.latencies) >= 0.05 + 0.04 * 9
    assert result.percentile(50) >= 0.05 + 0.04 * 4


def test_errors_and_statuses_are_counted_apart_from_the_latencies():
    answers = iter([200, 500, 302, 200])

    def fetch():
        status = next(answers, None)
        if status is None:
            raise ConnectionRefusedError
        return status

    result = loadgen.closed_loop(fetch, concurrency=1, total=5)
    assert result.requests == 5
    assert len(result.latencies) == 2
    assert result.errors == 3
    assert result.statuses == {200: 2, 500: 1, 302: 1, "ConnectionRefusedError": 1}
    summary = result.summary()
    assert summary["ok"] == 2
    assert summary["errors"] == 3
