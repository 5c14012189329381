"""`make bench`: Lantern against Spirit and against the practical limit of Django, side by side.

Sets up all three systems with the same data shape, serves each with gunicorn (2 sync
workers) on 127.0.0.1, loads them with wrk in interleaved rounds, runs the in-process
micro-benchmarks, prints a table and the budgets, writes bench/results/latest.json and the
results section of docs/benchmarks.md. Exits 1 when a budget fails.

BENCH_SCALE=large adds a fourth server: Lantern on a large data set (100,000 topics,
1,000,000 posts, 50,000 members) in its own PostgreSQL database, measured page by page
against Lantern on the small set in the same rounds. Spirit and the limit keep the small set.
It also runs bench/search.py, which seeds a million posts of realistic words into
<name>_search and reports search p99 for two-word queries as one more budget.

Environment:
  DATABASE_URL        PostgreSQL for all three systems (databases <name>, <name>_spirit,
                      <name>_limit are created when missing); SQLite files otherwise.
  BENCH_SCALE         small (default) or large (needs DATABASE_URL on PostgreSQL; the
                      databases <name>_large and <name>_search are dropped and created
                      afresh on every run)
  BENCH_DURATION      seconds of measured load per page and round (default 10)
  BENCH_WARMUP        seconds of warm-up load before each measurement (default 3)
  BENCH_CONNECTIONS   wrk connections (default 16)
  BENCH_ROUNDS        interleaved rounds (default 2)
  BENCH_SKIP_DOCS=1   leave docs/benchmarks.md alone
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS = BENCH / ".peers"
SPIRIT_VENV = PEERS / "spirit-venv"
SPIRIT_REQUIREMENT = "django-spirit==0.14.3"
LANTERN_PY = Path(sys.executable)
SCALE = os.environ.get("BENCH_SCALE", "").strip() or "small"
LARGE = SCALE == "large"
RESULTS = BENCH / "results" / ("latest-large.json" if LARGE else "latest.json")
DOCS = ROOT / "docs" / "benchmarks.md"
DOCS_START = "<!-- bench:large-results:start -->" if LARGE else "<!-- bench:results:start -->"
DOCS_END = "<!-- bench:large-results:end -->" if LARGE else "<!-- bench:results:end -->"

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
WORKERS = 2
MEMBER = "bench_0000"
LANTERN_LARGE = "Lantern large"
LANTERN_PAGES = ("home", "category", "topic_first", "topic_last")

BUDGET_SPIRIT_RATIO = 8.0
BUDGET_LARGE_RATIO = 0.8
BUDGET_LAST_PAGE_RATIO = 0.9
BUDGET_QUERIES = 6
BUDGET_PUBLISH_P99_MS = 25.0
BUDGET_WORKER_MB = 150.0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], *, env: dict | None = None, cwd: Path = ROOT, quiet: bool = False) -> str:
    result = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"bench: command failed: {' '.join(str(c) for c in cmd)}")
    if not quiet and result.stdout.strip():
        for line in result.stdout.strip().splitlines()[-3:]:
            log(f"  {line}")
    return result.stdout


# --- the three systems -----------------------------------------------------------------------


@dataclass
class System:
    name: str
    python: Path
    env: dict
    wsgi: str
    port: int
    chdir: Path
    pages: dict[str, str] = field(default_factory=dict)  # page key -> path
    public: set[str] = field(default_factory=set)  # page keys served to anonymous visitors
    cookie: str = ""
    process: subprocess.Popen | None = None

    @property
    def gunicorn(self) -> Path:
        return self.python.parent / "gunicorn"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _database_urls() -> dict[str, str]:
    """Per-system database URLs: PostgreSQL when DATABASE_URL says so, else SQLite files."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        return {}
    parsed = urlparse(base)
    name = parsed.path.lstrip("/")
    urls = {"lantern": base}
    for suffix in ("spirit", "limit"):
        urls[suffix] = urlunparse(parsed._replace(path=f"/{name}_{suffix}"))
    fresh = []
    if LARGE:
        # A large set is loaded into empty tables: faster than deleting a million rows first.
        urls["large"] = urlunparse(parsed._replace(path=f"/{name}_large"))
        fresh.append(f"{name}_large")
    _create_databases([urlparse(u) for u in urls.values()], fresh=fresh)
    return urls


def _create_databases(parsed_urls, *, fresh: list[str]) -> None:
    import psycopg

    first = parsed_urls[0]
    admin = urlunparse(first._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        for parsed in parsed_urls:
            name = parsed.path.lstrip("/")
            if name in fresh:
                log(f"dropping PostgreSQL database {name} (the benchmark's own, made afresh)")
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                log(f"creating PostgreSQL database {name}")
                conn.execute(f'CREATE DATABASE "{name}"')


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing; installing Debian's package")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        subprocess.run(["apt-get", "update"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench: wrk is not installed and `apt-get install -y wrk` failed")
    return found


def ensure_spirit(postgres: bool) -> Path:
    python = SPIRIT_VENV / "bin" / "python"
    marker = SPIRIT_VENV / ".installed"
    wanted = f"{SPIRIT_REQUIREMENT} gunicorn==27.0.1" + (
        " psycopg[binary]==3.3.9" if postgres else ""
    )
    if marker.exists() and marker.read_text() == wanted:
        return python
    log(f"installing {SPIRIT_REQUIREMENT} into {SPIRIT_VENV.relative_to(ROOT)} (its own Django)")
    PEERS.mkdir(parents=True, exist_ok=True)
    if not python.exists():
        run([sys.executable, "-m", "venv", SPIRIT_VENV])
    run([python, "-m", "pip", "install", "-q", *wanted.split()], quiet=True)
    marker.write_text(wanted)
    return python


def setup_lantern(
    db_url: str | None, *, name: str = "Lantern", port: int = 8101, scale: str = "small"
) -> System:
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "PYTHONPATH": str(ROOT)}
    if db_url:
        env["DATABASE_URL"] = db_url
    else:
        env.pop("DATABASE_URL", None)
    (ROOT / "var").mkdir(exist_ok=True)
    log(f"{name}: migrate, seed_bench --scale {scale}, collectstatic")
    manage = [LANTERN_PY, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], env=env)
    started = time.perf_counter()
    run([*manage, "seed_bench", "--scale", scale], env=env)
    seed_seconds = time.perf_counter() - started
    log(f"{name}: seeded in {seed_seconds:.1f} s")
    run([*manage, "collectstatic", "--noinput", "-v0"], env=env)
    ids = json.loads(
        run(
            [
                *manage,
                "shell",
                "-c",
                "import json; from forum.models import Topic; "
                "t = Topic.objects.filter(category__slug='bench').order_by('-last_position')"
                ".first(); print(json.dumps({'topic': t.pk}))",
            ],
            env=env,
            quiet=True,
        )
        .strip()
        .splitlines()[-1]
    )
    system = System(
        name=name,
        python=LANTERN_PY,
        env=env,
        wsgi="config.wsgi:application",
        port=port,
        chdir=ROOT,
        pages={
            "home": "/",
            "category": "/c/bench/",
            "topic_first": f"/t/{ids['topic']}/",
            "topic_last": f"/t/{ids['topic']}/?page=last",
        },
        public={"home"},
    )
    system.seed_seconds = seed_seconds  # type: ignore[attr-defined]
    return system


def setup_spirit(python: Path, db_url: str | None) -> System:
    env = {"DJANGO_SETTINGS_MODULE": "spirit_site.settings", "PYTHONPATH": str(BENCH)}
    if db_url:
        env["SPIRIT_DATABASE_URL"] = db_url
    log("Spirit: migrate, seed, collectstatic")
    run([python, "-m", "django", "migrate", "--noinput", "-v0"], env=env, cwd=BENCH)
    run([python, "-m", "django", "seed_spirit"], env=env, cwd=BENCH)
    run([python, "-m", "django", "collectstatic", "--noinput", "-v0"], env=env, cwd=BENCH)
    ids = json.loads(
        run(
            [
                python,
                "-c",
                "import django, json; django.setup(); "
                "from spirit.topic.models import Topic; "
                "t = Topic.objects.order_by('-comment_count').first(); "
                "print(json.dumps({'topic': t.pk, 'slug': t.slug, 'category': t.category_id, "
                "'category_slug': t.category.slug, 'pages': -(-t.comment_count // 20)}))",
            ],
            env=env,
            cwd=BENCH,
            quiet=True,
        ).strip()
    )
    topic = f"/topic/{ids['topic']}/{ids['slug']}/"
    pages = {
        "home": "/",
        "category": f"/category/{ids['category']}/{ids['category_slug']}/",
        "topic_first": topic,
        "topic_last": f"{topic}?page={ids['pages']}",
    }
    return System(
        name="Spirit",
        python=python,
        env=env,
        wsgi="spirit_site.wsgi:application",
        port=8102,
        chdir=BENCH,
        pages=pages,
        public=set(pages),
    )


def setup_limit(db_url: str | None) -> System:
    env = {"DJANGO_SETTINGS_MODULE": "limit.settings", "PYTHONPATH": str(BENCH)}
    if db_url:
        env["LIMIT_DATABASE_URL"] = db_url
    log("limit: migrate, seed")
    run([LANTERN_PY, "-m", "django", "migrate", "--run-syncdb", "-v0"], env=env, cwd=BENCH)
    run([LANTERN_PY, "-m", "django", "seed_limit"], env=env, cwd=BENCH)
    return System(
        name="limit",
        python=LANTERN_PY,
        env=env,
        wsgi="limit.wsgi:application",
        port=8103,
        chdir=BENCH,
        pages={"page": "/"},
        public={"page"},
    )


def probe(system: System, *args: str) -> str:
    return run(
        [system.python, BENCH / "probe.py", *args], env=system.env, cwd=system.chdir, quiet=True
    )


# --- serving and loading ---------------------------------------------------------------------


def start(system: System) -> None:
    cmd = [
        system.gunicorn,
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{system.port}",
        "--chdir",
        system.chdir,
        "--log-level",
        "warning",
        system.wsgi,
    ]
    env = {**os.environ, **system.env}
    if "DATABASE_URL" not in system.env:
        env.pop("DATABASE_URL", None)
    logs = PEERS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{system.name.lower().replace(' ', '-')}.log", "a") as server_log:
        system.process = subprocess.Popen(
            [str(c) for c in cmd],
            env=env,
            cwd=system.chdir,
            start_new_session=True,
            stdout=server_log,
            stderr=server_log,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", system.port), timeout=1):
                break
        except OSError:
            if system.process.poll() is not None:
                raise SystemExit(f"bench: {system.name}'s gunicorn exited at start") from None
            time.sleep(0.2)
    else:
        raise SystemExit(f"bench: {system.name}'s gunicorn did not start listening")
    # The first request per worker imports and compiles; keep it out of the measurements.
    for path in system.pages.values():
        for _ in range(WORKERS * 2):
            fetch(system, path, signed_in=True)


def stop(system: System) -> None:
    if system.process and system.process.poll() is None:
        system.process.send_signal(signal.SIGTERM)
        try:
            system.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            system.process.kill()
            system.process.wait()


def worker_pids(system: System) -> list[int]:
    master = system.process.pid if system.process else None
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            pids.append(int(status.parent.name))
    return pids


def peak_memory_mb(system: System) -> float:
    peaks = []
    for pid in worker_pids(system):
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    return round(max(peaks), 1) if peaks else 0.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(system: System, path: str, *, signed_in: bool) -> tuple[int, int]:
    request = urllib.request.Request(system.url(path))
    if signed_in:
        request.add_header("Cookie", system.cookie)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(binary: str, system: System, path: str, *, signed_in: bool, seconds: int) -> dict:
    cmd = [binary, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if signed_in:
        cmd += ["-H", f"Cookie: {system.cookie}"]
    output = subprocess.run(
        [*cmd, system.url(path)], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": rps,
        "p50_ms": _ms(p50.group(1)) if p50 else None,
        "p99_ms": _ms(p99.group(1)) if p99 else None,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


# --- "no writes on GET" ------------------------------------------------------------------------

SNAPSHOT_CODE = """
import hashlib, json
import django
django.setup()
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        if connection.vendor == "postgresql":
            # In the database, order-independent: a sum of per-row hashes. A million rows
            # never cross into Python.
            cursor.execute(
                "SELECT count(*), COALESCE(sum(('x' || left(md5(t::text), 15))::bit(60)"
                "::bigint::numeric), 0)::text FROM " + connection.ops.quote_name(table) + " t"
            )
            out[table] = list(cursor.fetchone())
            continue
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(row) for row in cursor.fetchall())
        digest = hashlib.sha256("\\n".join(rows).encode()).hexdigest()[:16]
        out[table] = [len(rows), digest]
print(json.dumps(out))
"""


def snapshot(system: System) -> dict:
    return json.loads(
        run([system.python, "-c", SNAPSHOT_CODE], env=system.env, cwd=system.chdir, quiet=True)
    )


# --- the run -----------------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "database": database,
        "wrk": f"-t2 -c{CONNECTIONS} -d{DURATION}s after {WARMUP}s warm-up, {ROUNDS} rounds",
        "gunicorn": f"{WORKERS} sync workers, 127.0.0.1",
    }


def main() -> int:
    started = time.monotonic()
    if SCALE not in ("small", "large"):
        print(f"bench: BENCH_SCALE is small or large, not {SCALE!r}.", file=sys.stderr)
        return 2
    if LARGE and not os.environ.get("DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    ):
        print(
            "bench: BENCH_SCALE=large loads a million posts and needs PostgreSQL. Point\n"
            "DATABASE_URL at a PostgreSQL server and run it again, for example:\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench "
            "make bench BENCH_SCALE=large\n"
            "(the databases lantern_bench, lantern_bench_spirit, lantern_bench_limit and\n"
            "lantern_bench_large are used; the last is dropped and made afresh).",
            file=sys.stderr,
        )
        return 2
    wrk_binary = ensure_wrk()
    urls = _database_urls()
    spirit_python = ensure_spirit(postgres=bool(urls))
    lantern = setup_lantern(urls.get("lantern"))
    systems = [lantern]
    if LARGE:
        # Next to the small set in the list, so each page is measured on both back to back.
        systems.append(setup_lantern(urls["large"], name=LANTERN_LARGE, port=8104, scale="large"))
    spirit = setup_spirit(spirit_python, urls.get("spirit"))
    limit = setup_limit(urls.get("limit"))
    systems += [spirit, limit]
    lanterns = [s for s in systems if s.name.startswith("Lantern")]

    log("counting queries per page in-process (second fetch of each page, warm caches)")
    queries = {}
    for system in systems:
        queries[system.name] = json.loads(probe(system, "queries", MEMBER, *system.pages.values()))
        name, value = probe(system, "session", MEMBER).split()
        system.cookie = f"{name}={value}"

    for system in systems:
        start(system)
    try:
        before = {s.name: snapshot(s) for s in lanterns}
        runs: dict[tuple[str, str, str], list[dict]] = {}
        scenarios = []
        for key in ("category", "topic_first", "topic_last", "home", "page"):
            for who in ("signed_in", "anonymous"):
                for system in systems:
                    if key not in system.pages:
                        continue
                    if who == "anonymous" and key not in system.public:
                        continue
                    scenarios.append((system, key, who))
        log(f"{len(scenarios)} page loads x {ROUNDS} rounds of {WARMUP}+{DURATION}s")
        for round_number in range(ROUNDS):
            # Interleave: every page is measured on each system back to back, and the order
            # of the systems flips each round so neither always goes first.
            ordered = scenarios if round_number % 2 == 0 else list(reversed(scenarios))
            for system, key, who in ordered:
                path = system.pages[key]
                status, size = fetch(system, path, signed_in=who == "signed_in")
                if status != 200:
                    raise SystemExit(f"bench: {system.name} {path} ({who}) answered {status}")
                wrk(wrk_binary, system, path, signed_in=who == "signed_in", seconds=WARMUP)
                result = wrk(
                    wrk_binary, system, path, signed_in=who == "signed_in", seconds=DURATION
                )
                result["bytes"] = size
                runs.setdefault((system.name, key, who), []).append(result)
                log(
                    f"round {round_number + 1} {system.name:8} {key:12} {who:10} "
                    f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:.1f} ms  "
                    f"p99 {result['p99_ms']:.1f} ms"
                )
        memory = {system.name: peak_memory_mb(system) for system in systems}
    finally:
        for system in systems:
            stop(system)
    # Stopped servers have flushed their statistics and closed their connections.
    time.sleep(1)
    after = {s.name: snapshot(s) for s in lanterns}

    log("in-process micro-benchmarks (publish a 5 KB story, 5,000-follower fan-out)")
    micro = json.loads(
        run([LANTERN_PY, BENCH / "micro.py"], env=lantern.env, quiet=True).strip().splitlines()[-1]
    )

    report = build_report(systems, runs, queries, memory, before, after, micro)
    if LARGE:
        report["budgets"].append(search_budget())
    report["machine"] = machine()
    report["scale"] = SCALE
    report["seed_seconds"] = {
        s.name: round(s.seed_seconds, 1)  # type: ignore[attr-defined]
        for s in lanterns
    }
    report["elapsed_seconds"] = round(time.monotonic() - started)
    report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    text = render(report)
    print()
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {RESULTS.relative_to(ROOT)}")
    if os.environ.get("BENCH_SKIP_DOCS") != "1":
        update_docs(text)
        log(f"updated {DOCS.relative_to(ROOT)}")
    failed = [b["name"] for b in report["budgets"] if not b["passed"]]
    if failed:
        print(f"\nFAIL: {len(failed)} budget(s) failed: {', '.join(failed)}")
        return 1
    print("\nPASS: every budget is met.")
    return 0


def search_budget() -> dict:
    """Search p99 for two-word queries at a million posts (bench/search.py, in-process, on
    its own database <name>_search seeded with realistic words)."""
    log("search at 1,000,000 posts in-process (bench/search.py, seeds its own database)")
    found = json.loads(
        run([LANTERN_PY, BENCH / "search.py", "--json"], quiet=True).strip().splitlines()[-1]
    )
    return {
        "name": f"search p99 <= {found['budget_p99_ms']:g} ms, two-word queries at "
        f"{found['posts']:,} posts",
        "passed": bool(found["passed"]),
        "detail": f"p99 {found['relevance_p99_ms']} ms, p50 {found['relevance_p50_ms']} ms over "
        f"{len(found['queries']) // 2} queries x {found['runs_per_query']} runs (newest first: "
        f"p99 {found['newest_p99_ms']} ms; stories like yours: p99 {found['related_p99_ms']} ms)",
    }


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def build_report(systems, runs, queries, memory, before, after, micro) -> dict:
    rows = []
    by = {}
    for (name, key, who), results in runs.items():
        system = next(s for s in systems if s.name == name)
        q = queries[name].get(system.pages[key], {}).get(who, {})
        row = {
            "system": name,
            "page": key,
            "who": who,
            "path": system.pages[key],
            "rps": round(_mean([r["rps"] for r in results]), 1),
            "rps_runs": [r["rps"] for r in results],
            "p50_ms": round(_mean([r["p50_ms"] for r in results]), 2),
            "p99_ms": round(_mean([r["p99_ms"] for r in results]), 2),
            "bytes": results[-1]["bytes"],
            "queries": q.get("queries"),
            "writes": q.get("writes"),
            "non_2xx": sum(r["non_2xx"] for r in results),
            "peak_worker_mb": memory[name],
        }
        rows.append(row)
        by[(name, key, who)] = row

    for row in rows:
        if row["system"] != "Lantern":
            continue
        spirit = by.get(("Spirit", row["page"], row["who"]))
        limit = by.get(("limit", "page", row["who"]))
        row["vs_spirit"] = round(row["rps"] / spirit["rps"], 2) if spirit else None
        row["vs_limit"] = round(row["rps"] / limit["rps"], 2) if limit else None
    for row in rows:
        if row["system"] == LANTERN_LARGE:
            small = by[("Lantern", row["page"], row["who"])]
            row["vs_small"] = round(row["rps"] / small["rps"], 2)

    def lantern(key, who="signed_in", name="Lantern"):
        return by[(name, key, who)]

    lantern_names = [n for n in ("Lantern", LANTERN_LARGE) if n in memory]

    budgets = []

    def budget(name: str, passed: bool, detail: str) -> None:
        budgets.append({"name": name, "passed": bool(passed), "detail": detail})

    for key in ("category", "topic_first"):
        ratio = lantern(key)["vs_spirit"]
        budget(
            f"signed-in {key} >= {BUDGET_SPIRIT_RATIO:g}x Spirit req/s",
            ratio >= BUDGET_SPIRIT_RATIO,
            f"{ratio:.2f}x",
        )
    last_ratio = lantern("topic_last")["rps"] / lantern("topic_first")["rps"]
    budget(
        f"last page of the long topic >= {BUDGET_LAST_PAGE_RATIO:g}x its first page",
        last_ratio >= BUDGET_LAST_PAGE_RATIO,
        f"{last_ratio:.2f}x",
    )
    if LANTERN_LARGE in lantern_names:
        # Cost must not grow with the size of the forum: each page, large set against small.
        pages = list(PAGE_LABELS)
        for (name, key, who), row in sorted(
            by.items(), key=lambda item: (pages.index(item[0][1]), item[0][2] != "signed_in")
        ):
            if name != LANTERN_LARGE:
                continue
            budget(
                f"large/small >= {BUDGET_LARGE_RATIO:g}x: {key} ({who.replace('_', '-')})",
                row["vs_small"] >= BUDGET_LARGE_RATIO,
                f"{row['vs_small']:.2f}x ({row['rps']:.0f} against "
                f"{lantern(key, who)['rps']:.0f} req/s)",
            )
    worst = max(lantern(k, name=n)["queries"] for k in LANTERN_PAGES for n in lantern_names)
    budget(
        f"<= {BUDGET_QUERIES} SQL queries per page signed in",
        worst <= BUDGET_QUERIES,
        f"at most {worst}",
    )
    publish = micro["publish"]
    budget(
        f"publish a 5 KB story p99 <= {BUDGET_PUBLISH_P99_MS:g} ms",
        publish["p99_ms"] <= BUDGET_PUBLISH_P99_MS,
        f"p99 {publish['p99_ms']} ms over {publish['runs']} runs",
    )
    peak = max(memory[n] for n in lantern_names)
    budget(
        f"peak memory per gunicorn worker <= {BUDGET_WORKER_MB:g} MB",
        min(memory[n] for n in lantern_names) > 0 and peak <= BUDGET_WORKER_MB,
        " / ".join(
            f"{memory[n]} MB" + (" (large)" if n == LANTERN_LARGE else "") for n in lantern_names
        ),
    )
    # Every row of every table, hashed before and after the load: an UPDATE shows as well
    # as an INSERT or DELETE.
    changed = sorted(
        f"{t}{' (large)' if n == LANTERN_LARGE else ''}"
        for n in lantern_names
        for t in before[n]
        if before[n][t] != after[n].get(t)
    )
    in_process_writes = sum(
        (queries[n][lantern(k, name=n)["path"]]["signed_in"]["writes"] or 0)
        for k in LANTERN_PAGES
        for n in lantern_names
    )
    budget(
        "no writes on GET",
        not changed and in_process_writes == 0,
        "every table unchanged across the GET runs"
        if not changed and in_process_writes == 0
        else f"changed tables: {', '.join(changed) or '-'}; "
        f"writes seen in-process: {in_process_writes}",
    )
    return {"rows": rows, "budgets": budgets, "micro": micro, "memory_mb": memory}


PAGE_LABELS = {
    "category": "category list p1",
    "topic_first": "long topic, first",
    "topic_last": "long topic, last",
    "home": "home",
    "page": "template + 1 query",
}


def render(report: dict) -> str:
    m = report["machine"]
    large = any(r["system"] == LANTERN_LARGE for r in report["rows"])
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, {m['database']}; "
        f"gunicorn {m['gunicorn']}; wrk {m['wrk']}.",
        "",
        "| system | page | who | req/s | p50 ms | p99 ms | queries | bytes | peak MB/worker "
        "| Lantern/Spirit | Lantern/limit |" + (" large/small |" if large else ""),
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if large else ""),
    ]
    order = {"Lantern": 0, LANTERN_LARGE: 1, "Spirit": 2, "limit": 3}
    page_order = list(PAGE_LABELS)
    for row in sorted(
        report["rows"],
        key=lambda r: (page_order.index(r["page"]), r["who"] != "signed_in", order[r["system"]]),
    ):
        vs_spirit = row.get("vs_spirit")
        vs_limit = row.get("vs_limit")
        lines.append(
            f"| {row['system']} | {PAGE_LABELS[row['page']]} | "
            f"{'member' if row['who'] == 'signed_in' else 'anonymous'} | {row['rps']:.0f} | "
            f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['queries']} | {row['bytes']:,} | "
            f"{row['peak_worker_mb']:.0f} | "
            f"{f'{vs_spirit:.1f}x' if vs_spirit else ''} | "
            f"{f'{vs_limit:.2f}x' if vs_limit else ''} |"
            + (f" {row['vs_small']:.2f}x |" if "vs_small" in row else (" |" if large else ""))
        )
    failed_responses = [r for r in report["rows"] if r["non_2xx"]]
    for row in failed_responses:
        lines.append(
            f"Note: {row['system']} {PAGE_LABELS[row['page']]} ({row['who']}) answered "
            f"{row['non_2xx']} requests with an error status (see bench/.peers/logs/)."
        )
    micro = report["micro"]
    publish = micro["publish"]
    seeded = report.get("seed_seconds", {})
    lines += [
        "",
        "Seeding (seed_bench): "
        + ", ".join(
            f"{name} {seconds} s"
            + (
                " (100,000 topics, 1,000,000 posts, 50,000 members)"
                if name == LANTERN_LARGE
                else ""
            )
            for name, seconds in seeded.items()
        )
        + ".",
        f"Publish a {publish['bytes']:,}-byte story in-process (create_topic, "
        f"{publish['runs']} runs): p50 {publish['p50_ms']} ms, p99 {publish['p99_ms']} ms.",
    ]
    fan_out = micro.get("fan_out", {})
    if fan_out.get("available"):
        lines.append(
            f"Fan-out of one reply to {fan_out['followers']:,} followers in-process "
            f"(fan_out_reply): {fan_out['ms']} ms for {fan_out['recipients']} notifications in "
            f"{fan_out['batches']} batches; running it again: {fan_out['second_run_ms']} ms."
        )
    else:
        lines.append(
            f"fan-out: not available{' (' + fan_out['error'] + ')' if 'error' in fan_out else ''}"
        )
    lines += ["", "| budget | result | measured |", "|---|---|---|"]
    for b in report["budgets"]:
        lines.append(f"| {b['name']} | {'PASS' if b['passed'] else 'FAIL'} | {b['detail']} |")
    return "\n".join(lines)


def update_docs(text: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "make bench BENCH_SCALE=large" if LARGE else "make bench"
    block = f"{DOCS_START}\nLatest `{command}` run ({stamp}):\n\n{text}\n{DOCS_END}"
    current = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n\n## Latest results\n\n"
    if DOCS_START in current and DOCS_END in current:
        head, rest = current.split(DOCS_START, 1)
        _, tail = rest.split(DOCS_END, 1)
        DOCS.write_text(head + block + tail)
    else:
        DOCS.write_text(current.rstrip("\n") + "\n\n" + block + "\n")


if __name__ == "__main__":
    sys.exit(main())
