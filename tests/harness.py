"""Real services for delivery tests: a private redis-server, an SMTP sink and a Celery worker.

Import the fixtures where needed:
    from tests.harness import celery_worker, private_redis, smtp_sink  # noqa: F401

Every process a fixture starts is stopped when the test ends, whatever happened. A missing
redis-server or database a worker can reach skips locally and fails in CI (REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import logging
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent
CELERY = str(Path(sys.executable).parent / "celery")


_ISSUED_PORTS: set[int] = set()


def free_port() -> int:
    """A port nothing listens on now, and never one this process handed out before: the kernel
    may offer a just-closed port again, and two servers of one test (the SMTP sink's front and
    server) would then collide with "Address already in use"."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _ISSUED_PORTS:
            _ISSUED_PORTS.add(port)
            return port


def wait_until(predicate, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# --- Redis ---------------------------------------------------------------------------------


class PrivateRedis:
    """A throwaway redis-server on a free port: start, stop (as in an outage), restart."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        if self.process and self.process.poll() is None:
            return
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Stop the server, losing everything in it (nothing is persisted), like a crash."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- SMTP ----------------------------------------------------------------------------------


class SmtpSink:
    """An SMTP server that records every message it accepts; stopping it is a mail outage.

    Clients connect to `port`, a small TCP front that counts connections (`connections`, the
    SMTP attempts a test measures) and, by `mode`, passes them to the real server ("accept"),
    resets them at once like a server refusing connections ("refuse"), or holds them open
    without a word, like a server that accepts and never answers ("hang"). `rcpt_reply` (e.g.
    "550 5.1.1 No such mailbox" or "451 4.3.0 Try again later") answers every RCPT TO.
    """

    def __init__(self, *, delay: float = 0.0):
        # aiosmtpd logs every SMTP command at INFO; a test's output should show its own results.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.port = free_port()
        self._server_port = free_port()
        self.delay = delay
        self.mode = "accept"
        self.rcpt_reply: str | None = None
        self.connections = 0
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._controller = None
        self._front: socket.socket | None = None
        self._held: list[socket.socket] = []

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        if self._controller is not None:
            return
        self._controller = Controller(self, hostname="127.0.0.1", port=self._server_port)
        self._controller.start()
        front = socket.socket()
        front.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        front.bind(("127.0.0.1", self.port))
        front.listen(64)
        front.settimeout(0.2)
        self._front = front
        threading.Thread(target=self._accept_loop, args=(front,), daemon=True).start()

    def stop(self) -> None:
        if self._front is not None:
            self._front.close()
            self._front = None
        for held in self._held:
            with contextlib.suppress(OSError):
                held.close()
        self._held.clear()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def _accept_loop(self, front: socket.socket) -> None:
        while self._front is front:
            try:
                client, _ = front.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            if self.mode == "refuse":
                # Linger 0: close with a reset, as a refusing server's kernel does.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
            elif self.mode == "hang":
                self._held.append(client)
            else:
                server = socket.create_connection(("127.0.0.1", self._server_port), timeout=5)
                server.settimeout(None)
                for source, target in ((client, server), (server, client)):
                    threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def connection_count(self) -> int:
        with self._lock:
            return self.connections

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def received(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    def wait_for(self, n: int, *, timeout: float = 30) -> list[EmailMessage]:
        """At least `n` messages have arrived (or the test fails after `timeout` s)."""
        wait_until(lambda: self.count() >= n, timeout=timeout, what=f"{n} emails")
        return self.received()

    def wait_for_recipient(self, address: str, *, timeout: float = 30) -> list[EmailMessage]:
        """At least one message to `address` has arrived; returns the messages to it."""

        def to_address():
            return [
                m for m in self.received() if any(a.addr_spec == address for a in m["To"].addresses)
            ]

        return wait_until(to_address, timeout=timeout, what=f"an email to {address}")

    def settle(self, *, quiet: float = 1.5, timeout: float = 30) -> list[EmailMessage]:
        """Wait until no new message has arrived for `quiet` seconds; return them all."""
        deadline = time.monotonic() + timeout
        last, since = self.count(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.count()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return self.received()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


# --- Celery worker -------------------------------------------------------------------------


def _worker_database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        service_missing("a worker process needs PostgreSQL (set DATABASE_URL)")
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class CeleryWorker:
    """`celery worker` in its own process group, against the test database and broker.
    `queues` ("default,moderation", "mail") as `-Q`; None consumes every queue."""

    def __init__(
        self,
        *,
        broker_url: str,
        smtp_port: int,
        database_url: str,
        logfile: Path,
        queues: str | None = None,
        name: str = "celery",
    ):
        self.broker_url = broker_url
        self.smtp_port = smtp_port
        self.database_url = database_url
        self.logfile = logfile
        self.queues = queues
        self.name = name
        self.process: subprocess.Popen | None = None
        self.concurrency = 2

    def start(self, *, concurrency: int | None = None) -> None:
        if self.process and self.process.poll() is None:
            return
        if concurrency:
            self.concurrency = concurrency
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.worker_test",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.broker_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "CONN_MAX_AGE": "0",
        }
        start_at = self.logfile.stat().st_size if self.logfile.exists() else 0
        self._log = open(self.logfile, "ab")  # noqa: SIM115 (closed in stop/kill)
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                f"--hostname={self.name}@%h",
                *([f"--queues={self.queues}"] if self.queues else []),
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def ready():
            if self.process.poll() is not None:
                pytest.fail(f"celery worker exited early:\n{self.log()[-3000:]}")
            return b"ready." in self.logfile.read_bytes()[start_at:]

        wait_until(ready, timeout=60, interval=0.2, what="the celery worker to be ready")

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as in a machine failure."""
        if self.process and self.process.poll() is None:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=10)
        self._close_log()

    def restart(self) -> None:
        self.kill()
        self.start()

    def _close_log(self) -> None:
        log = getattr(self, "_log", None)
        if log and not log.closed:
            log.close()

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


# The production topology (Makefile `worker`, docker-compose.yml): mail has its own worker, so
# a slow mail server never holds up fan-out or moderation. Together they consume every queue.
WORKER_QUEUES = {"main": "default,moderation", "mail": "mail"}


class CeleryWorkers:
    """The workers of the production topology, started, killed and stopped together."""

    def __init__(self, workers: dict[str, CeleryWorker]):
        self.by_name = workers

    def __getitem__(self, name: str) -> CeleryWorker:
        return self.by_name[name]

    @property
    def concurrency(self) -> int:
        return sum(worker.concurrency for worker in self.by_name.values())

    def start(self, *, concurrency: int | None = None) -> None:
        for worker in self.by_name.values():
            worker.start(concurrency=concurrency)

    def kill(self) -> None:
        for worker in self.by_name.values():
            worker.kill()

    def stop(self) -> None:
        for worker in self.by_name.values():
            worker.stop()

    def restart(self) -> None:
        self.kill()
        self.start()

    def alive(self) -> bool:
        return all(worker.alive() for worker in self.by_name.values())

    def log(self) -> str:
        return "\n".join(f"--- {n} ---\n{w.log()}" for n, w in self.by_name.items())


def use_broker(url: str):
    """Point this test process's Celery app at `url`, non-eager; returns an undo function."""
    from config.celery_app import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_write_url")}

    def reset_pools():
        # Pools remember the broker they were made for, and kombu keeps closed ones registered
        # process-wide; later publishes would fail with "Acquire on closed pool".
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
        pools.reset()

    app.conf.update(broker_url=url, broker_write_url=None, task_always_eager=False)
    reset_pools()

    def undo():
        app.conf.update(saved)
        reset_pools()

    return undo


@pytest.fixture
def celery_worker(private_redis, smtp_sink, tmp_path, django_db_setup, settings):
    """Real workers as in production (prefork, 2 processes each: one on the default and
    moderation queues, one on mail) on `private_redis`, mailing `smtp_sink`; this test process
    publishes to the same broker. Needs django_db(transaction=True) so rows are committed where
    the workers can read them."""
    workers = CeleryWorkers(
        {
            name: CeleryWorker(
                broker_url=private_redis.url,
                smtp_port=smtp_sink.port,
                database_url=_worker_database_url(),
                logfile=tmp_path / f"celery-worker-{name}.log",
                queues=queues,
                name=name,
            )
            for name, queues in WORKER_QUEUES.items()
        }
    )
    # This process names the same mail server, so it sees the workers' pauses (the sweep).
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    undo = use_broker(private_redis.url)
    try:
        workers.start()
        yield workers
    finally:
        workers.kill()
        undo()


# --- Celery beat ---------------------------------------------------------------------------


class CeleryBeat:
    """`celery beat` with the real schedule (settings.CELERY_BEAT_SCHEDULE) in its own process
    group, publishing to the test's broker; its schedule file lives in the test's tmp dir."""

    def __init__(self, *, broker_url: str, database_url: str, workdir: Path):
        self.broker_url = broker_url
        self.database_url = database_url
        self.logfile = workdir / "celery-beat.log"
        self.schedule = workdir / "celerybeat-schedule"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.worker_test",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.broker_url,
            "CONN_MAX_AGE": "0",
        }
        self._log = open(self.logfile, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "beat",
                f"--schedule={self.schedule}",
                "--pidfile=",
                "--loglevel=DEBUG",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def ready():
            if self.process.poll() is not None:
                pytest.fail(f"celery beat exited early:\n{self.log()[-3000:]}")
            return "beat: Starting..." in self.log()

        wait_until(ready, timeout=60, interval=0.2, what="celery beat to start")

    def sent(self, task_key: str) -> int:
        """How many times beat has sent the schedule entry `task_key` so far."""
        return self.log().count(f"Sending due task {task_key} ")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        log = getattr(self, "_log", None)
        if log and not log.closed:
            log.close()

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""


@pytest.fixture
def celery_beat(celery_worker, private_redis, tmp_path):
    """Beat with the production schedule on `private_redis`, beside the real workers; the test
    calls start() when its clock should begin (an interval entry first runs one period later)."""
    beat = CeleryBeat(
        broker_url=private_redis.url, database_url=_worker_database_url(), workdir=tmp_path
    )
    try:
        yield beat
    finally:
        beat.stop()
