"""Requests per second through nginx with one web replica and with two, in the same run.

The two-replica smoke test (tests/stack/test_replicas.py) starts nginx with two front doors: one
whose upstream is gunicorn A only, one that round-robins over A and B. This module hits a signed-in
page through each with N concurrent clients, alternating short rounds (one, two, one, two, ...) so
that whatever else the machine is doing falls on both alike, and reports the median of the rounds.

Run the figures with the test: `STACK_BENCH_SECONDS=10 STACK_BENCH_ROUNDS=4 pytest -m stack
tests/stack` (the test prints them and writes them to bench/results/replicas.json when
STACK_BENCH_OUT is set). Used alone, point it at two such front doors:

    python bench/replicas.py --one http://127.0.0.1:8181 --two http://127.0.0.1:8182 \
        --path /projects/1/tasks/ --cookie sessionid=... --clients 8 --seconds 5 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time

import requests


def requests_per_second(base: str, path: str, cookies: dict, clients: int, seconds: float) -> float:
    """Completed 200 responses per second with `clients` threads each looping on one keep-alive session."""
    stop = time.monotonic() + seconds
    counts = [0] * clients
    errors = []

    def client(index: int) -> None:
        with requests.Session() as session:
            session.cookies.update(cookies)
            while time.monotonic() < stop:
                response = session.get(base + path, timeout=30, allow_redirects=False)
                if response.status_code != 200:
                    errors.append(response.status_code)
                    return
                counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{base}{path} answered {errors[0]} during the benchmark")
    return sum(counts) / (time.monotonic() - started)


def compare(one: str, two: str, path: str, cookies: dict, clients=8, seconds=3.0, rounds=2) -> dict:
    """Interleaved rounds through the one-replica and the two-replica front door."""
    requests_per_second(two, path, cookies, clients, 1.0)  # warm both replicas' caches and pools
    results = {"one": [], "two": []}
    for _ in range(rounds):
        results["one"].append(requests_per_second(one, path, cookies, clients, seconds))
        results["two"].append(requests_per_second(two, path, cookies, clients, seconds))
    return {
        "path": path,
        "clients": clients,
        "seconds_per_round": seconds,
        "rounds": rounds,
        "one_replica_rps": round(statistics.median(results["one"]), 1),
        "two_replicas_rps": round(statistics.median(results["two"]), 1),
        "all_rounds": {k: [round(v, 1) for v in values] for k, values in results.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", required=True, help="front door with one replica upstream")
    parser.add_argument("--two", required=True, help="front door round-robin over two replicas")
    parser.add_argument("--path", required=True)
    parser.add_argument("--cookie", required=True, help="sessionid=VALUE of a signed-in user")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    name, _, value = args.cookie.partition("=")
    print(
        json.dumps(
            compare(args.one, args.two, args.path, {name: value}, args.clients, args.seconds, args.rounds)
        )
    )


if __name__ == "__main__":
    main()
