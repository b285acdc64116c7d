"""The deployment the UI and the daemon load (`ropa serve`): a run may choose its evaluation date,
never other folders; the UI listens on 127.0.0.1; SIGTERM stops every Dagster process."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.jobs import REFRESH_JOB_NAME, nightly_refresh
from pipelines.resources import RopaSettings
from tests.conftest import AS_OF, MINIMAL_DROP

# Run configs a caller of the UI's GraphQL `launchRun` could send.
OTHER_FOLDER_CONFIGS: dict[str, Any] = {
    "exports_and_warehouse": lambda other: {
        "resources": {
            "settings": {
                "config": {"exports_dir": str(other), "warehouse_dir": str(other), "as_of": AS_OF}
            }
        }
    },
    "warehouse_only": lambda other: {
        "resources": {"settings": {"config": {"warehouse_dir": str(other)}}}
    },
    "dbt_project": lambda other: {"resources": {"dbt": {"config": {"project_dir": str(other)}}}},
}


@pytest.fixture
def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Folders A, as `ropa serve` configures the deployment: the drop and the warehouse."""
    drop, warehouse = tmp_path / "a" / "drop", tmp_path / "a" / "warehouse"
    shutil.copytree(MINIMAL_DROP, drop)
    monkeypatch.setenv("ROPA_EXPORTS_DIR", str(drop))
    monkeypatch.setenv("ROPA_WAREHOUSE_DIR", str(warehouse))
    return drop, warehouse


@pytest.mark.parametrize("config", OTHER_FOLDER_CONFIGS.values(), ids=OTHER_FOLDER_CONFIGS.keys())
@pytest.mark.parametrize("job_name", [REFRESH_JOB_NAME, "__ASSET_JOB"])
def test_run_for_another_folder_is_refused_before_it_touches_anything(
    deployment: tuple[Path, Path], tmp_path: Path, config: Any, job_name: str
) -> None:
    """Both the refresh job and the job behind the UI's "Materialize" button."""
    _, warehouse = deployment
    other = tmp_path / "b"
    job = (
        defs.resolve_implicit_global_asset_job_def()
        if job_name == "__ASSET_JOB"
        else defs.resolve_job_def(job_name)
    )
    with pytest.raises(dg.DagsterInvalidConfigError, match="unexpected config entr"):
        job.execute_in_process(run_config=config(other), instance=dg.DagsterInstance.ephemeral())
    assert not other.exists()  # no B, so no B/pseudonym.key
    assert not warehouse.exists()


def test_the_schedules_run_config_is_accepted_and_runs_on_the_deployment_folders(
    deployment: tuple[Path, Path],
) -> None:
    """The nightly run's config names the date alone: valid, and the run's settings are A's."""
    drop, warehouse = deployment
    with dg.instance_for_test() as instance:  # the schedule adds the record files' partitions
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=dt.datetime(2026, 11, 29, 2, 0),
            resources={"settings": (defs.resources or {})["settings"]},
            repository_def=defs.get_repository_def(),
        )
        request = nightly_refresh.evaluate_tick(context).run_requests[0]  # type: ignore[index]
    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    run_config = dict(request.run_config or {})
    assert dg.validate_run_config(job, run_config)
    with dg.build_resources(
        {"settings": (defs.resources or {})["settings"]}, resource_config=run_config["resources"]
    ) as built:
        settings: RopaSettings = built.settings
    assert (settings.exports_path, settings.warehouse_path, settings.as_of) == (
        drop,
        warehouse,
        AS_OF,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _descendants(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), set()).add(int(stat_file.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), set()) - found:
            found.add(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has stopped; it waits for its parent to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (/proc/net/tcp: hex, LISTEN=0A)."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            addresses.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return addresses


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def serve(
    tmp_path: Path, deployment: tuple[Path, Path]
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    drop, warehouse = deployment
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "ropa"), "serve",
        "--exports", str(drop), "--warehouse", str(warehouse),
        "--port", str(port), "--dagster-home", str(tmp_path / "dagster_home"),
    ]  # fmt: skip
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=os.environ
    )
    try:
        yield process, port
    finally:
        for pid in _descendants(process.pid) | {process.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()
        log.close()


@pytest.mark.slow
def test_serve_refuses_other_folders_over_graphql_and_stops_on_sigterm(
    serve: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

    process, port = serve
    other = tmp_path / "b"
    deadline = time.monotonic() + 300  # a loaded CI machine takes minutes to start Dagster
    while not _answers(port):
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        assert time.monotonic() < deadline, "the webserver did not start"
        time.sleep(1)
    client = DagsterGraphQLClient("127.0.0.1", port_number=port, timeout=30)
    refusal = ""
    while not refusal:
        assert time.monotonic() < deadline, "the code location did not load"
        try:
            client.submit_job_execution(
                REFRESH_JOB_NAME, run_config=OTHER_FOLDER_CONFIGS["exports_and_warehouse"](other)
            )
            pytest.fail("a run for another folder was launched")
        except DagsterGraphQLClientError as error:
            # Until the webserver has loaded the code location, launches fail otherwise.
            if "RunConfigValidationInvalid" in str(error.args):
                refusal = str(error.args)
        time.sleep(1)
    assert "unexpected config entr" in refusal
    assert not other.exists()
    assert _listening_addresses(port) == {"127.0.0.1"}

    dagster_processes = _descendants(process.pid)
    assert dagster_processes  # dagster dev, its webserver, daemon and code servers
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=90) == 0
    stop_deadline = time.monotonic() + 30
    while time.monotonic() < stop_deadline and any(map(_running, dagster_processes)):
        time.sleep(0.5)
    assert not [pid for pid in dagster_processes if _running(pid)]
