"""`make bench`: the app beside Django's own floor, under gunicorn on PostgreSQL, as ratios in one run.

Steps (each database step runs `manage.py` in a child process, pointed at its database):

1. PostgreSQL: DATABASE_URL names the *small* bench database (default: a role
   and database ``clinic_bench`` on the local cluster, started if it is down,
   as .ci/run does). The small database is dropped and made again each run:
   migrated, 100 intakes seeded. The *scale* database (the same name plus
   ``_scale``) is kept between runs and topped up to ``--scale`` intakes.
2. The app under gunicorn (2 workers) on 127.0.0.1, production settings
   (DEBUG off, WhiteNoise's compressed static files), with bench.settings, so
   /bench-floor/ serves the floor view in the same processes.
3. A second process (bench.loadgen, locust) loads it: each app
   figure right after the floor's, in rounds, so every figure has a ratio to
   a floor measured a moment before it on the same machine.
4. In-process: the rules engine alone, and the what-if preview over 500 and
   100,000 intakes of the scale database.
5. The first intake page as a phone gets it: bytes over the wire, and every
   URL it would fetch (none may leave the server).
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Targets (issue 8).
PATIENT_RATIO_TARGET = 0.5
BOOKING_RATIO_TARGET = 0.3  # issue 13: the booking's emails leave the request (the worker sends them)
STAFF_SCALE_TARGET = 1.5
MAX_FIRST_PAGE_BYTES = 150 * 1024

PATIENT_FIGURES = [
    # (scenario, label, floor scenario, target ratio or None)
    ("intake_step_get", "Intake step GET", "floor_get", PATIENT_RATIO_TARGET),
    ("intake_step_post", "Intake step POST", "floor_post", PATIENT_RATIO_TARGET),
    ("final_submit", "Final submit (screen, snapshot, email)", "floor_post", PATIENT_RATIO_TARGET),
    ("slot_picker", "Slot picker (2 weeks, 5 practitioners)", "floor_get", None),
    ("booking", "Booking (emails to the outbox, worker running)", "floor_post", BOOKING_RATIO_TARGET),
]
STAFF_FIGURES = [
    ("staff_queue", "Staff queue", "floor_get", None),
    ("staff_detail", "Staff intake detail", "floor_get", None),
]


@dataclass
class Options:
    scale: int = 1_000_000
    small: int = 100
    rounds: int = 3
    seconds: float = 5.0
    warmup: float = 1.0
    users: int = 4
    skip_scale: bool = False
    skip_patient: bool = False
    json_path: str | None = None


@dataclass
class Figure:
    label: str
    app_rps: float | None = None
    app_median_ms: float | None = None
    floor_rps: float | None = None
    floor_median_ms: float | None = None
    ratio: float | None = None
    target: str = ""
    verdict: str = ""
    note: str = ""


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    raw: dict = field(default_factory=dict)


def say(line: str = "") -> None:
    print(line, flush=True)


# --- PostgreSQL ---------------------------------------------------------------------------


def database_urls() -> tuple[str, str, AppRole | None]:
    """(small, scale) database URLs and the app's own role: from DATABASE_URL and DATABASE_APP_ROLE (with
    DATABASE_APP_PASSWORD), or both roles and the databases on the local cluster (as .ci/run makes them)."""
    url = os.environ.get("DATABASE_URL", "")
    role = os.environ.get("DATABASE_APP_ROLE", "")
    app = AppRole(role, os.environ.get("DATABASE_APP_PASSWORD", "")) if role else None
    if not url:
        url, app = _local_cluster_url()
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"make bench needs PostgreSQL; DATABASE_URL is {parts.scheme}://...")
    if parts.hostname not in LOOPBACK:
        raise SystemExit("make bench only runs against a database on this machine (127.0.0.1).")
    name = parts.path.lstrip("/")
    scale = urlunsplit(parts._replace(path=f"/{name}_scale"))
    return url, scale, app


@dataclass(frozen=True)
class AppRole:
    """The role the server and worker run as: rows only, no DDL, the audit trail append-only
    (screening/core/db_roles.py grants it at each migrate, which runs as the owner)."""

    name: str
    password: str

    def url(self, owner_url: str) -> str:
        parts = urlsplit(owner_url)
        host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
        netloc = f"{quote(self.name, safe='')}:{quote(self.password, safe='')}@{host}"
        return urlunsplit(parts._replace(netloc=netloc))


def _local_cluster_url() -> tuple[str, AppRole]:
    """Start the first local cluster if it is down and make a throwaway role for this run (as .ci/run does)."""
    if os.geteuid() != 0 or not shutil.which("pg_lsclusters"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database on 127.0.0.1 whose role may CREATEDB.")
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    first = clusters.split("\n")[0].split()
    if not first:
        raise SystemExit("No PostgreSQL cluster: run .ci/run once (it creates one), or set DATABASE_URL.")
    version, name, port, status = first[0], first[1], first[2], first[3]
    if status != "online":
        say(f"Starting PostgreSQL {version} {name}")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"], check=True)
        for _ in range(30):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", port, "-q"]).returncode == 0:
                break
            time.sleep(1)
    password, app_password = secrets.token_hex(12), secrets.token_hex(12)
    sql = f"""DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'clinic_bench') THEN
    ALTER ROLE clinic_bench WITH LOGIN CREATEDB PASSWORD '{password}';
  ELSE
    CREATE ROLE clinic_bench WITH LOGIN CREATEDB PASSWORD '{password}';
  END IF;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'clinic_bench_app') THEN
    ALTER ROLE clinic_bench_app WITH LOGIN NOCREATEDB PASSWORD '{app_password}';
  ELSE
    CREATE ROLE clinic_bench_app WITH LOGIN PASSWORD '{app_password}';
  END IF;
END $$;"""
    subprocess.run(["su", "postgres", "-c", f"psql -q -p {port}"], input=sql, text=True, check=True)
    return (f"postgres://clinic_bench:{password}@127.0.0.1:{port}/clinic_bench",
            AppRole("clinic_bench_app", app_password))


def _admin(url: str, sql: str, *, params: tuple = (), fetch: bool = False):
    import psycopg2

    parts = urlsplit(url)
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                            password=parts.password, dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else None
    finally:
        conn.close()


def _query(url: str, sql: str, *, fetch: bool = True):
    import psycopg2

    parts = urlsplit(url)
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                            password=parts.password, dbname=parts.path.lstrip("/"))
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            result = cursor.fetchall() if fetch else None
        conn.commit()
        return result
    finally:
        conn.close()


def recreate_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}"')


def ensure_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if not _admin(url, "SELECT 1 FROM pg_database WHERE datname = %s", params=(name,), fetch=True):
        _admin(url, f'CREATE DATABASE "{name}"')


# --- child processes ------------------------------------------------------------------------


class Harness:
    """Runs manage.py and gunicorn with one secret key, so sessions made for the load are valid."""

    def __init__(self, app: AppRole | None = None) -> None:
        self.app = app
        self.secret = secrets.token_urlsafe(48)
        self.tmp = Path(tempfile.mkdtemp(prefix="clinic-bench-"))

    def env(self, url: str, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": self.secret,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            # The limits still count every booking; they never refuse the load's single address.
            "RATE_LIMIT_BOOKINGS_PER_HOUR": "1000000000",
            "RATE_LIMIT_INTAKE_STARTS_PER_HOUR": "1000000000",
            # Each migrate (as the owner) grants the app role its rows-only privileges.
            **({"DATABASE_APP_ROLE": self.app.name} if self.app else {}),
            **extra,
        }

    def manage(self, url: str, *args: str, debug: bool = True) -> str:
        env = self.env(url, DJANGO_DEBUG="true" if debug else "false")
        done = subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], cwd=BASE_DIR, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def step(self, url: str, step: str, **kwargs) -> dict:
        out = self.tmp / f"{step}.json"
        args = ["bench", "--step", step, "--out", str(out)]
        for key, value in kwargs.items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        self.manage(url, *args)
        return json.loads(out.read_text())

    def serve(self, url: str) -> Server:
        """gunicorn and the worker, connected as the app role when there is one (as production runs)."""
        return Server(self.env(self.app.url(url) if self.app else url, DJANGO_DEBUG="false"))


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = _free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = Path(PYTHON).with_name("gunicorn")
        self.process = subprocess.Popen(
            # The production configuration (deploy/gunicorn.conf.py), with the benchmark's workers and port,
            # and no access log (it would print every request of the load into the report).
            [str(gunicorn), "clinic.wsgi:application", "-c", str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
             "--workers", "2", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "120"],
            cwd=BASE_DIR, env={**self.env, "GUNICORN_ACCESS_LOG": "off"},
        )
        # The task worker runs beside it, as in production: it sends the outbox's emails during the load.
        self.worker = subprocess.Popen(
            [PYTHON, str(BASE_DIR / "manage.py"), "db_worker", "--no-reload", "--interval", "1", "-v", "0"],
            cwd=BASE_DIR, env=self.env,
        )
        for _ in range(150):
            try:
                if _get(self.port, "/bench-floor/")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("gunicorn did not answer on /bench-floor/ within 30 s.")

    def __exit__(self, *exc) -> None:
        for process in (self.process, self.worker):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes, int]:
    """(status, headers, raw body as sent, bytes on the wire incl. headers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2
        head += sum(len(k) + len(v) + 4 for k, v in response.getheaders())
        return response.status, dict(response.getheaders()), body, head + len(body)
    finally:
        conn.close()


def load(harness: Harness, server: Server, scenarios: dict, sequence: list[str], options: Options) -> list[dict]:
    plan = harness.tmp / "plan.json"
    results = harness.tmp / "results.json"
    plan.write_text(json.dumps({"host": server.host, "users": options.users, "seconds": options.seconds,
                                "warmup": options.warmup, "scenarios": scenarios, "sequence": sequence}))
    subprocess.run([PYTHON, "-m", "bench.loadgen", str(plan), str(results)], cwd=BASE_DIR, check=True)
    return json.loads(results.read_text())


def alternating(pairs: list[tuple[str, str]], rounds: int) -> list[str]:
    sequence = []
    for _ in range(rounds):
        for app, floor in pairs:
            sequence += [floor, app]
    return sequence


def paired(results: list[dict]) -> dict[str, list[tuple[dict, dict]]]:
    """Each app run with the floor run just before it."""
    pairs: dict[str, list[tuple[dict, dict]]] = {}
    for floor, app in zip(results[::2], results[1::2], strict=True):
        pairs.setdefault(app["name"], []).append((app, floor))
    return pairs


def figure_from(label: str, runs: list[tuple[dict, dict]], target: float | None) -> Figure:
    app_rps = [a["rps"] for a, _ in runs]
    floor_rps = [f["rps"] for _, f in runs]
    ratios = [a["rps"] / f["rps"] for a, f in runs if f["rps"]]
    figure = Figure(
        label=label,
        app_rps=statistics.median(app_rps),
        app_median_ms=statistics.median([a["median_ms"] or 0 for a, _ in runs]),
        floor_rps=statistics.median(floor_rps),
        floor_median_ms=statistics.median([f["median_ms"] or 0 for _, f in runs]),
        ratio=statistics.median(ratios) if ratios else None,
    )
    failures = sum(a["failures"] for a, _ in runs) + sum(f["failures"] for _, f in runs)
    if failures:
        errors = sorted({e for a, f in runs for e in a["errors"] + f["errors"]})
        figure.note = f"{failures} failed requests: {'; '.join(errors)[:200]}"
    if any(a["exhausted"] for a, _ in runs):
        figure.note += " (ran out of prepared requests: figure from fewer requests)"
    if target is not None:
        figure.target = f">= {target:.1f}x floor"
        figure.verdict = "meets" if figure.ratio is not None and figure.ratio >= target and not failures else "MISSES"
    return figure


# --- the first page, as a phone gets it ----------------------------------------------------


_REFS = re.compile(r"""<(?:link|script|img|source|iframe|audio|video)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""",
                   re.I)
_CSS_URLS = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""", re.I)


def first_page(port: int, path: str = "/intake/") -> dict:
    """Bytes over the wire for the page and everything it loads (gzip as WhiteNoise serves it)."""
    accept = {"Accept-Encoding": "gzip, deflate", "User-Agent": "Mozilla/5.0 (Linux; Android 14; Mobile)"}
    status, headers, body, wire = _get(port, path, accept)
    html = body.decode("utf-8", "replace")
    items = [{"url": path, "status": status, "bytes": wire, "encoding": headers.get("Content-Encoding", "none")}]
    outside = []
    queue = [u for u in _REFS.findall(html)]
    seen = set()
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith(("data:", "#")):
            continue
        seen.add(url)
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            if parts.hostname not in LOOPBACK:
                outside.append(url)
                continue
        s, h, b, w = _get(port, parts.path, accept)
        items.append({"url": parts.path, "status": s, "bytes": w, "encoding": h.get("Content-Encoding", "none")})
        if parts.path.endswith(".css"):
            text = _gunzip(b, h).decode("utf-8", "replace")
            for found, imported in _CSS_URLS.findall(text):
                ref = found or imported
                if not ref.startswith("data:"):
                    queue.append(ref if ref.startswith(("/", "http", "//")) else _join(parts.path, ref))
    csp = headers.get("Content-Security-Policy", "")
    return {"items": items, "total": sum(i["bytes"] for i in items), "outside": outside,
            "html_bytes": items[0]["bytes"], "csp_self_only": "default-src 'self'" in csp,
            "all_ok": all(i["status"] == 200 for i in items)}


def _gunzip(body: bytes, headers: dict) -> bytes:
    import gzip

    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


def _join(base: str, ref: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + ref


# --- the run ---------------------------------------------------------------------------------


def run(options: Options) -> Report:
    report = Report()
    small_url, scale_url, app = database_urls()
    harness = Harness(app)
    say(f"Bench databases: {_safe(small_url)} (made again) and {_safe(scale_url)} (kept)")
    started = time.perf_counter()

    say("== collectstatic (compressed, as production serves it)")
    harness.manage(small_url, "collectstatic", "--noinput", "-v0", debug=False)

    say(f"== small database: migrate, {options.small} intakes")
    recreate_database(small_url)
    harness.manage(small_url, "migrate", "--noinput", "-v0")
    harness.manage(small_url, "seed_scale", str(options.small))
    staff_scenarios = harness.step(small_url, "prepare-staff")
    small_queries = staff_scenarios.pop("queries")
    small_count = _query(small_url, "SELECT count(*) FROM intake_intake")[0][0]
    # Submits and bookings use one prepared intake each: enough for 400 a second, so none runs dry.
    consumed = int(options.rounds * (options.seconds + options.warmup) * 400) + 500

    with harness.serve(small_url) as server:
        say(f"== first intake page ({server.host}/intake/)")
        report.raw["first_page"] = first_page(server.port)
        say(f"== load: {options.users} clients, {options.rounds} rounds of {options.seconds:g} s, "
            f"each figure right after the floor's")
        staff_pairs = [(s, f) for s, _, f, _ in STAFF_FIGURES]
        results = load(harness, server, staff_scenarios, alternating(staff_pairs, options.rounds), options)
        if options.skip_patient:
            say("== patient figures skipped (--skip-patient)")
        else:
            # The patients' intakes come after the staff pages were read with the small number.
            scenarios = harness.step(small_url, "prepare-patient", submits=consumed, bookings=min(consumed, 3000))
            patient_pairs = [(s, f) for s, _, f, _ in PATIENT_FIGURES]
            results += load(harness, server, scenarios, alternating(patient_pairs, options.rounds), options)
    small = paired(results)
    for scenario, label, _floor, target in PATIENT_FIGURES:
        if not options.skip_patient:
            report.figures.append(figure_from(label, small[scenario], target))
    staff_small = {}
    for scenario, label, _floor, _ in STAFF_FIGURES:
        figure = figure_from(f"{label} ({small_count:,} intakes)", small[scenario], None)
        figure.note = (figure.note + " " if figure.note else "") + f"{small_queries[scenario]} queries"
        figure.target, figure.verdict = "<= 10 queries", "meets" if 0 < small_queries[scenario] <= 10 else "MISSES"
        staff_small[scenario] = figure
    report.figures.extend(staff_small.values())

    inprocess: dict = {}
    if options.skip_scale:
        say("== scale database skipped (--skip-scale)")
        inprocess = harness.step(small_url, "inprocess")
    else:
        say("== scale database: migrate, top up")
        ensure_database(scale_url)
        harness.manage(scale_url, "migrate", "--noinput", "-v0")
        have = _query(scale_url, "SELECT count(*) FROM intake_intake")[0][0]
        if have < options.scale:
            say(f"   seeding {options.scale - have:,} more intakes (have {have:,})")
            seeded = time.perf_counter()
            harness.manage(scale_url, "seed_scale", str(options.scale - have))
            report.raw["seed_seconds"] = time.perf_counter() - seeded
        scale_count = _query(scale_url, "SELECT count(*) FROM intake_intake WHERE status = 'submitted'")[0][0]
        all_count = _query(scale_url, "SELECT count(*) FROM intake_intake")[0][0]
        # Fresh statistics after a bulk load, as autovacuum would have them a little later.
        _query(scale_url, "ANALYZE intake_intake, intake_screening, intake_flag, booking_booking, "
                          "review_intakedecision, intake_patientquestion, audit_auditevent", fetch=False)
        scale_scenarios = harness.step(scale_url, "prepare-staff")
        scale_queries = scale_scenarios.pop("queries")
        with harness.serve(scale_url) as server:
            say(f"== load on {all_count:,} intakes")
            pairs = [(s, f) for s, _, f, _ in STAFF_FIGURES]
            scale_results = load(harness, server, scale_scenarios, alternating(pairs, options.rounds), options)
        big = paired(scale_results)
        for scenario, label, _floor, _ in STAFF_FIGURES:
            figure = figure_from(f"{label} ({all_count:,} intakes)", big[scenario], None)
            base = staff_small[scenario]
            raw = figure.app_median_ms / base.app_median_ms if base.app_median_ms else None
            relative = (base.ratio / figure.ratio) if figure.ratio and base.ratio else None
            queries = scale_queries[scenario]
            figure.target = f"<= {STAFF_SCALE_TARGET}x small, <= 10 queries"
            ok = relative is not None and relative <= STAFF_SCALE_TARGET and 0 < queries <= 10
            figure.verdict = "meets" if ok else "MISSES"
            figure.note = (figure.note + " " if figure.note else "") + (
                f"median {raw:.2f}x the {small_count:,}-intake page's; relative to the floor {relative:.2f}x slower; "
                f"{queries} queries" if raw and relative else f"{queries} queries")
            report.figures.append(figure)
        say("== in-process: rules engine, what-if preview")
        inprocess = harness.step(scale_url, "inprocess")
        report.raw["scale_intakes"] = all_count
        report.raw["scale_submitted"] = scale_count
    report.raw["inprocess"] = inprocess
    report.raw["seconds"] = time.perf_counter() - started
    shutil.rmtree(harness.tmp, ignore_errors=True)
    return report


def what_if_lines(inprocess: dict) -> list[str]:
    """The what-if figures, each over 500 and 100,000 intakes: the preview that the staff rule editor and the
    admin's draft page show (only the changed rule against the stored flags, target < 3 s), and the full
    comparison of two rule sets, which a rule file's import and the bookings' what-if use over fewer intakes
    (no target: no page runs it over 100,000 since issue 17)."""
    out = []
    for key, name, target in (("what_if_stored", "What-if preview (stored flags)", 3),
                              ("what_if", "Full comparison of two rule sets", None)):
        for item in inprocess.get(key, []):
            if "error" in item:
                out.append(f"{name} over {item['limit']:,} intakes: MISSING: {item['error']}")
                continue
            big = item["limit"] >= 100_000
            verdict = ("meets" if item["total_s"] < target else "MISSES") if big and target else ""
            if verdict and item["intakes"] < item["limit"]:
                verdict = "NOT MEASURED (too few intakes)"
            out.append(f"{name} over {item['intakes']:,} intakes (asked {item['limit']:,}): "
                       f"{item['total_s']:.2f} s (load {item['load_s']:.2f} s + compare {item['compare_s']:.2f} s), "
                       f"{item['changed']:,} would change" + (f"  (target < {target} s: {verdict})" if verdict else ""))
            if big and item["intakes"] < item["limit"]:
                out.append("   only that many submitted intakes in the database: the 100,000 figure is not measured")
    return out


def run_what_if(submitted: int) -> dict:
    """``make bench BENCH_ARGS="--only what-if"``: the what-if previews alone, on a database of their own
    (``<name>_whatif``: made once, topped up to ``submitted`` submitted intakes, then kept)."""
    small_url, _scale_url, app = database_urls()
    parts = urlsplit(small_url)
    url = urlunsplit(parts._replace(path=parts.path + "_whatif"))
    harness = Harness(app)
    say(f"What-if database: {_safe(url)} (kept)")
    ensure_database(url)
    harness.manage(url, "migrate", "--noinput", "-v0")
    seeded = 0.0
    while (have := _query(url, "SELECT count(*) FROM intake_intake WHERE status = 'submitted'")[0][0]) < submitted:
        more = int((submitted - have) * 1.3) + 100  # seed_scale counts drafts too
        say(f"   seeding {more:,} more intakes ({have:,} submitted)")
        started = time.perf_counter()
        harness.manage(url, "seed_scale", str(more))
        seeded += time.perf_counter() - started
    _query(url, "ANALYZE intake_intake, intake_screening, intake_flag", fetch=False)
    say("== in-process: what-if previews")
    result = harness.step(url, "what-if")
    result["submitted"] = have
    result["seed_seconds"] = seeded
    shutil.rmtree(harness.tmp, ignore_errors=True)
    return result


def render_what_if(result: dict) -> str:
    out = [f"Machine: {machine()}", *what_if_lines(result),
           f"What-if database: {result['submitted']:,} submitted intakes"
           + (f"; seeded this run in {result['seed_seconds']:.0f} s" if result["seed_seconds"] else "")]
    return "\n".join(out) + "\n"


def _safe(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{parts.hostname}:{parts.port or 5432}"))


# --- the table ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def render(report: Report, options: Options) -> str:
    out = [f"Machine: {machine()}",
           f"Load: {options.users} clients, no think time, {options.rounds} rounds x {options.seconds:g} s "
           f"per figure, the floor measured just before each; gunicorn, 2 sync workers; PostgreSQL on 127.0.0.1.", ""]
    head = f"{'Figure':<44} {'app req/s':>9} {'app ms':>7} {'floor req/s':>11} {'floor ms':>8} {'ratio':>6}  " \
           f"{'target':<28} verdict"
    out += [head, "-" * len(head)]
    for f in report.figures:
        out.append(f"{f.label:<44} {_n(f.app_rps, 9, 1)} {_n(f.app_median_ms, 7, 0)} {_n(f.floor_rps, 11, 1)} "
                   f"{_n(f.floor_median_ms, 8, 0)} {_n(f.ratio, 6, 2)}  {f.target:<28} {f.verdict}")
        if f.note:
            out.append(f"{'':<6}{f.note}")
    inprocess = report.raw.get("inprocess", {})
    out.append("")
    for name, rate in inprocess.get("engine", {}).items():
        verdict = "meets" if rate >= 20_000 else "MISSES"
        out.append(f"Rules engine, one core, {name:<28} {rate:>10,.0f} screenings/s  (target >= 20,000/s: {verdict})")
    out += what_if_lines(inprocess)
    page = report.raw.get("first_page")
    if page:
        verdict = "meets" if page["total"] <= MAX_FIRST_PAGE_BYTES and not page["outside"] and page["all_ok"] \
            else "MISSES"
        out.append(f"First intake page on a phone: {page['total'] / 1024:.1f} KB over the wire in "
                   f"{len(page['items'])} requests; requests leaving the server: {len(page['outside'])}"
                   f"  (target < 150 KB, none outside: {verdict})")
        for item in page["items"]:
            out.append(f"   {item['url']:<60} {item['bytes'] / 1024:7.1f} KB  {item['encoding']}")
        for url in page["outside"]:
            out.append(f"   OUTSIDE: {url}")
        if not page["csp_self_only"]:
            out.append("   the page's Content-Security-Policy does not say default-src 'self'")
    if "scale_intakes" in report.raw:
        out.append(f"Scale database: {report.raw['scale_intakes']:,} intakes "
                   f"({report.raw['scale_submitted']:,} submitted)"
                   + (f"; seeded this run in {report.raw['seed_seconds']:.0f} s" if "seed_seconds" in report.raw
                      else ""))
    out.append(f"Bench run took {report.raw.get('seconds', 0):.0f} s.")
    return "\n".join(out)


def _n(value: float | None, width: int, digits: int) -> str:
    return f"{value:>{width},.{digits}f}" if value is not None else f"{'-':>{width}}"
