"""bin/supervise: a command that exits is started again; Ctrl-C or SIGTERM stops both."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

SUPERVISE = Path(__file__).resolve().parents[2] / "bin" / "supervise"


def runs(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_a_command_that_dies_is_started_again_until_stopped(tmp_path, stop_with):
    counter = tmp_path / "runs"
    # Dies at once the first time, as a worker does on "Unrecoverable error"; then keeps running.
    script = f"echo run >> {counter}; [ $(wc -l < {counter}) -ge 2 ] && exec sleep 60; exit 1"
    supervisor = subprocess.Popen([str(SUPERVISE), "sh", "-c", script], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while runs(counter) < 2:
            assert time.monotonic() < deadline, "the command was not started again"
            time.sleep(0.05)
        supervisor.send_signal(stop_with)
        assert supervisor.wait(timeout=10) == 0
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    time.sleep(1.5)  # longer than the back-off: nothing starts it again
    assert runs(counter) == 2
    assert b"exited with status 1; starting it again in 1s" in supervisor.stderr.read()
    # The supervised command was stopped too, not left behind.
    assert subprocess.run(["pgrep", "-f", str(counter)], capture_output=True).returncode == 1
