"""`ropa dashboard`: serve the Streamlit app over a warehouse folder."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

import dashboards
from dashboards.source import WAREHOUSE_ENV

APP = Path(dashboards.__file__).with_name("app.py")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse", type=Path, required=True, help="the warehouse folder `ropa run` publishes"
    )
    parser.add_argument("--port", type=int, default=8501, help="HTTP port (default 8501)")
    parser.add_argument(
        "--host", "--address", dest="host", default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )  # fmt: skip


def streamlit_command(port: int, host: str) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless=true",
        f"--server.port={port}",
        f"--server.address={host}",
        # The app is served, not developed: no source watching, no telemetry calls out.
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=viewer",
    ]  # fmt: skip


def run(args: argparse.Namespace) -> int:
    warehouse = Path(args.warehouse).resolve()
    env = {**os.environ, WAREHOUSE_ENV: str(warehouse)}
    print(f"Dashboard on http://{args.host}:{args.port} over {warehouse}", flush=True)
    server = subprocess.Popen(streamlit_command(args.port, args.host), env=env)

    # Stopping `ropa dashboard` must stop the server too, never leave it running orphaned.
    def stop(signum: int, frame: FrameType | None) -> None:
        server.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()
