"""`ropa serve`: the Dagster webserver and daemon, so the nightly schedule runs by itself.

The UI has no login of its own: it listens on 127.0.0.1 unless told otherwise, and a team
reaches it through a reverse proxy with TLS and single sign-on (README). Runs launched from it
work on the folders given here alone (pipelines.resources.locked_settings).
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

# How long the webserver and the daemon get to stop after SIGTERM or SIGINT before they are
# killed: enough to finish writing what they write, short of a service manager's own limit.
STOP_GRACE_SECONDS = 30.0
_FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exports", type=Path, required=True, help="the export drop folder")
    parser.add_argument("--warehouse", type=Path, required=True, help="the warehouse folder")
    parser.add_argument("--port", type=int, default=3000, help="webserver port (default 3000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address the webserver listens on (default 127.0.0.1: this machine alone; the UI "
        "has no login, so anything else belongs behind a reverse proxy with single sign-on)",
    )
    parser.add_argument(
        "--dagster-home",
        type=Path,
        default=None,
        help="persistent Dagster instance folder (default: <warehouse>/dagster_home)",
    )


def run(args: argparse.Namespace) -> int:
    warehouse_dir = args.warehouse.resolve()
    dagster_home = (args.dagster_home or warehouse_dir / "dagster_home").resolve()
    dagster_home.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "ROPA_EXPORTS_DIR": str(args.exports.resolve()),
        "ROPA_WAREHOUSE_DIR": str(warehouse_dir),
        "GX_ANALYTICS_ENABLED": "false",
        # `dagster dev` prepares the dbt project with the `dbt` on PATH: the one installed beside
        # this interpreter, so that `.venv/bin/ropa serve` works without an activated venv.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    # `dagster dev` runs both the webserver and the daemon (schedules, sensors) in one command.
    command = [
        sys.executable, "-m", "dagster", "dev",
        "-m", "pipelines.definitions",
        "--port", str(args.port),
        "--host", args.host,
    ]  # fmt: skip
    if not _is_loopback(args.host):
        print(
            f"warning: the Dagster UI on {args.host} has no login; anyone who reaches the port "
            "can launch runs. Put it behind a reverse proxy with TLS and single sign-on.",
            file=sys.stderr,
        )
    print(f"Dagster UI on http://{args.host}:{args.port} (DAGSTER_HOME={dagster_home})")
    return run_until_stopped(command, environment)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_until_stopped(command: list[str], environment: dict[str, str]) -> int:
    """Run `command` in its own process group and stop the whole group with it.

    SIGTERM or SIGINT to this process is passed to the command (which shuts its webserver and
    daemon down in order); whatever of the group is still alive once the command exits, or
    STOP_GRACE_SECONDS after the signal, is terminated, then killed. A service manager that
    stops `ropa serve` so leaves no Dagster process behind, and Ctrl-C in a terminal works.
    """
    received: list[int] = []

    def record(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    # Handled before the command starts, so it starts with the default handlers: a signal
    # ignored here (SIGINT under `nohup` or `&`) would be ignored there, and `dagster dev`
    # handles SIGTERM as it handles SIGINT.
    previous = {signum: signal.signal(signum, record) for signum in _FORWARDED_SIGNALS}
    stop_deadline: float | None = None
    try:
        child = subprocess.Popen(command, env=environment, start_new_session=True)
        try:
            while child.poll() is None:
                if received and stop_deadline is None:
                    _signal(child.pid, received[0])
                    stop_deadline = time.monotonic() + STOP_GRACE_SECONDS
                elif stop_deadline is not None and time.monotonic() > stop_deadline:
                    _signal(child.pid, signal.SIGKILL, group=True)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(timeout=0.2)
        finally:
            _stop_group(child.pid)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        return 0  # stopped on request
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


def _signal(pid: int, signum: int, *, group: bool = False) -> None:
    with contextlib.suppress(ProcessLookupError):
        if group:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)


def _stop_group(group: int) -> None:
    """Terminate what is left of the process group, then kill it if it outlives the grace."""
    _signal(group, signal.SIGTERM, group=True)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while _group_alive(group):
        if time.monotonic() > deadline:
            _signal(group, signal.SIGKILL, group=True)
            return
        time.sleep(0.2)


def _group_alive(group: int) -> bool:
    """Any process of the group still running (on Linux, a zombie waiting for its parent to
    reap it is not: it has stopped)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    if not Path("/proc").is_dir():
        return True
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # `pid (name) state ppid pgrp ...`; the name may hold spaces and parentheses.
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                return True
    return False
