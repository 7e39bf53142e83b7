"""The benchmark's load: a second process that drives the server with locust (headless, as a library).

    python -m bench.loadgen PLAN.json RESULTS.json

The plan (written by ``manage.py bench``) names the server (127.0.0.1 only),
the scenarios (each a list of ready requests: path, cookie, form data, the
status expected) and the order to run them in. Each run keeps ``users``
simulated clients busy with no think time for ``warmup`` + ``seconds``
seconds and records requests per second and latency percentiles over the
measured part. Requests of a ``consume`` scenario are used once each (a
final submit, a booking); a run that exhausts them says so.

Imports no Django: it is the client, not the server.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from itertools import count  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.exception import StopUser  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Pool:
    """The requests of one scenario; shared by all users, across all the runs of the scenario."""

    def __init__(self, scenario: dict) -> None:
        self.requests = scenario["requests"]
        self.consume = scenario.get("consume", False)
        self.expect = scenario["expect"]
        self.method = scenario["method"]
        self._next = count()
        self.exhausted = False

    def take(self) -> dict | None:
        n = next(self._next)
        if self.consume:
            if n >= len(self.requests):
                self.exhausted = True
                return None
            return self.requests[n]
        return self.requests[n % len(self.requests)]


def user_class(pool: Pool, name: str) -> type[FastHttpUser]:
    class Client(FastHttpUser):
        wait_time = constant(0)

        @task
        def hit(self) -> None:
            request = pool.take()
            if request is None:
                raise StopUser()
            self.client.cookiejar.clear()  # each request carries its own session: no cookie carried over
            headers = {"Cookie": request["cookie"]} if request.get("cookie") else {}
            with self.client.request(pool.method, request["path"], name=name, data=request.get("data"),
                                     headers=headers, allow_redirects=False, catch_response=True) as response:
                if response.status_code != pool.expect:
                    response.failure(f"status {response.status_code}, expected {pool.expect}")

    Client.__name__ = f"Client_{name}"
    return Client


def run(host: str, pool: Pool, name: str, *, users: int, seconds: float, warmup: float) -> dict:
    environment = Environment(user_classes=[user_class(pool, name)], host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(users * 20, 1))
    gevent.sleep(warmup)
    environment.stats.reset_all()
    started = time.perf_counter()
    gevent.sleep(seconds)
    entry = environment.stats.get(name, pool.method)
    elapsed = time.perf_counter() - started
    result = {
        "name": name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.num_requests / elapsed if elapsed else 0.0,
        "median_ms": entry.get_response_time_percentile(0.5) if entry.num_requests else None,
        "p90_ms": entry.get_response_time_percentile(0.9) if entry.num_requests else None,
        "exhausted": pool.exhausted,
        "errors": sorted({str(e.error) for e in environment.stats.errors.values()})[:3],
    }
    runner.quit()
    return result


def main(plan_path: str, results_path: str) -> None:
    with open(plan_path) as f:
        plan = json.load(f)
    host = plan["host"]
    if urlsplit(host).hostname not in LOOPBACK:
        raise SystemExit(f"Refusing to load {host}: the benchmark only targets this machine (127.0.0.1).")
    pools = {name: Pool(scenario) for name, scenario in plan["scenarios"].items()}
    results = []
    for name in plan["sequence"]:
        results.append(run(host, pools[name], name, users=plan["users"], seconds=plan["seconds"],
                           warmup=plan["warmup"]))
        print(f"  {name:<34} {results[-1]['rps']:8.1f} req/s  median {results[-1]['median_ms']} ms"
              + (f"  FAILURES {results[-1]['failures']}: {results[-1]['errors']}" if results[-1]["failures"] else ""),
              flush=True)
    with open(results_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
