"""Profile the staff pages in process: queries per request and where the time goes.

A developer's tool, not part of ``make bench``. Run against the scale
database that ``make bench`` keeps (it adds the bench's staff user, as the
benchmark does)::

    DATABASE_URL=postgres://.../bench_after_scale DJANGO_DEBUG=false DJANGO_SECRET_KEY=x \\
    DJANGO_SETTINGS_MODULE=bench.settings DJANGO_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false \\
    .venv/bin/python -m bench.profile_staff [--profile staff_queue|staff_detail] [-n 200]

It prints, for the queue and an intake page of ``bench/fixtures.py`` and the
floor's GET: the queries of one request, the mean time of ``-n`` requests
through Django's test client (one handler, as in a server process), and
with ``--profile`` the top of a cProfile of that figure.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.fixtures import staff_scenarios

    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--profile", choices=["staff_queue", "staff_detail", "floor_get"])
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request of each figure")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args(argv)

    scenarios = staff_scenarios()
    scenarios.pop("queries")
    client = Client(HTTP_HOST="127.0.0.1")  # one handler: middleware loaded once, as in a server process
    used = dict.fromkeys(("staff_queue", "staff_detail", "floor_get"), 0)

    def send(name: str) -> int:
        requests = scenarios[name]["requests"]
        request = requests[used[name] % len(requests)]
        used[name] += 1
        client.cookies.clear()
        for pair in request["cookie"].split("; "):
            key, _, value = pair.partition("=")
            client.cookies[key] = value
        return client.get(request["path"]).status_code

    for name in used:
        send(name)  # warm: one-off lookups, template compilation
        with CaptureQueriesContext(connection) as captured:
            status = send(name)
        print(f"{name}: status {status}, {len(captured)} queries")
        if args.queries:
            for q in captured.captured_queries:
                print("    ", q["time"], q["sql"][:400])
    for name in used:
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.n):
            send(name)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{name}: {wall / args.n * 1000:.2f} ms a request over {args.n} "
              f"({cpu / args.n * 1000:.2f} ms of this process's CPU)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            send(args.profile)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
