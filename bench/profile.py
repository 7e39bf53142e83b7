"""Profile the patient pages in process: queries per request and where the time goes.

A developer's tool, not part of ``make bench``. Run against a scratch
PostgreSQL database (it is migrated and filled with bench drafts)::

    DATABASE_URL=postgres://.../scratch DJANGO_DEBUG=false DJANGO_SECRET_KEY=x \\
    DJANGO_SETTINGS_MODULE=bench.settings DJANGO_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false \\
    EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \\
    .venv/bin/python -m bench.profile [--profile step_get|step_post|submit] [-n 200]

It prints, for the step GET, step POST and final submit of
``bench/fixtures.py``: the queries of one request, the mean time of
``-n`` requests through Django's test client (one handler, as in a server
process; and the floor's), and with ``--profile``
the top of a cProfile of that figure.
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
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.fixtures import patient_scenarios

    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--profile", choices=["step_get", "step_post", "submit", "floor_get", "floor_post"])
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request of each figure")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    scenarios = patient_scenarios(pool=48, submits=args.n * 2 + 10, bookings=1)

    client = Client(HTTP_HOST="127.0.0.1")  # one handler: middleware loaded once, as in a server process

    def client_for(request: dict) -> Client:
        client.cookies.clear()
        for pair in request["cookie"].split("; "):
            key, _, value = pair.partition("=")
            client.cookies[key] = value
        return client

    def send(name: str, index: int) -> int:
        scenario = scenarios[name]
        requests = scenario["requests"]
        request = requests[index] if scenario["consume"] else requests[index % len(requests)]
        client = client_for(request)
        if scenario["method"] == "GET":
            return client.get(request["path"]).status_code
        return client.post(request["path"], request["data"]).status_code

    # The floor's view is timed too, for a rough in-process ratio.
    figures = {"step_get": "intake_step_get", "step_post": "intake_step_post", "submit": "final_submit",
               "floor_get": "floor_get", "floor_post": "floor_post"}
    used = dict.fromkeys(figures.values(), 0)

    def next_index(name: str) -> int:
        used[name] += 1
        return used[name] - 1

    for label, name in figures.items():
        send(name, next_index(name))  # warm: one-off lookups, template compilation
        with CaptureQueriesContext(connection) as captured:
            status = send(name, next_index(name))
        print(f"{label}: status {status}, {len(captured)} queries")
        if args.queries:
            for q in captured.captured_queries:
                print("    ", q["sql"][:220])
    for label, name in figures.items():
        start = time.perf_counter()
        for _ in range(args.n):
            send(name, next_index(name))
        took = (time.perf_counter() - start) / args.n
        print(f"{label}: {took * 1000:.2f} ms a request over {args.n}")
    if args.profile:
        name = figures[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            send(name, next_index(name))
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
