"""`ropa serve`: the Dagster webserver and daemon, so the nightly schedule runs by itself."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exports", type=Path, required=True, help="the export drop folder")
    parser.add_argument("--warehouse", type=Path, required=True, help="the warehouse folder")
    parser.add_argument("--port", type=int, default=3000, help="webserver port (default 3000)")
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
    }
    # `dagster dev` runs both the webserver and the daemon (schedules, sensors) in one command.
    command = [
        sys.executable, "-m", "dagster", "dev",
        "-m", "pipelines.definitions",
        "--port", str(args.port),
        "--host", "127.0.0.1",
    ]  # fmt: skip
    print(f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={dagster_home})")
    return subprocess.call(command, env=environment)
