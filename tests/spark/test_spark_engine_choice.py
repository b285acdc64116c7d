"""Choosing the engine: `--engine`/ROPA_ENGINE, the deployment's setting, and clear refusals.

No Spark runs here: each test is about what happens before any step does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import build_definitions
from pipelines.jobs import REFRESH_JOB_NAME
from pipelines.resources import RopaSettings
from tests.conftest import AS_OF, MINIMAL_DROP

REPOSITORY = Path(__file__).parents[2]


def _ropa_run(
    warehouse: Path, *options: str, environ: dict[str, str], prelude: str = ""
) -> subprocess.CompletedProcess[str]:
    """`ropa run` in its own interpreter, so that its environment is the test's to choose."""
    arguments = ["run", "--exports", str(MINIMAL_DROP), "--warehouse", str(warehouse)]
    arguments += ["--as-of", AS_OF, *options]
    script = f"{prelude}\nimport sys\nfrom commands.cli import main\nsys.exit(main({arguments!r}))"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPOSITORY,
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_spark_without_java_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    no_java = tmp_path / "jre-without-java"
    (no_java / "bin").mkdir(parents=True)
    warehouse = tmp_path / "warehouse"
    result = _ropa_run(warehouse, "--engine", "spark", environ={"JAVA_HOME": str(no_java)})
    assert result.returncode == 1
    assert "Java 17" in result.stderr and "JAVA_HOME" in result.stderr
    assert not warehouse.exists()


def test_spark_without_the_extra_names_the_install_command(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    # A None entry in sys.modules is how Python marks a module as absent.
    absent = "import sys; sys.modules['pyspark'] = None"
    result = _ropa_run(warehouse, environ={"ROPA_ENGINE": "spark"}, prelude=absent)
    assert result.returncode == 1
    assert "pyspark" in result.stderr and 'pip install -e ".[spark]"' in result.stderr
    assert not warehouse.exists()


def test_an_unknown_engine_in_the_environment_is_refused(tmp_path: Path) -> None:
    result = _ropa_run(tmp_path / "warehouse", environ={"ROPA_ENGINE": "postgres"})
    assert result.returncode == 1
    assert "'postgres'" in result.stderr and "ROPA_ENGINE" in result.stderr


def test_both_engines_have_one_asset_graph(tmp_path: Path) -> None:
    """The engine is read when the dbt step runs: the UI shows the same assets and checks."""
    graphs = []
    for engine in ("duckdb", "spark"):
        settings = RopaSettings(
            exports_dir=str(MINIMAL_DROP), warehouse_dir=str(tmp_path), engine=engine
        )
        graph = build_definitions(settings).resolve_asset_graph()
        graphs.append((graph.get_all_asset_keys(), graph.asset_check_keys))
    assert graphs[0] == graphs[1]
    assert dg.AssetKey(["marts", "ropa_controller"]) in graphs[0][0]


def test_a_run_cannot_choose_the_engine(tmp_path: Path) -> None:
    """The engine is the deployment's: a launched run's config that names it is refused."""
    settings = RopaSettings(exports_dir=str(MINIMAL_DROP), warehouse_dir=str(tmp_path))
    job = build_definitions(settings).resolve_job_def(REFRESH_JOB_NAME)
    config = {"resources": {"settings": {"config": {"engine": "spark"}}}}
    with pytest.raises(dg.DagsterInvalidConfigError, match="engine"):
        job.execute_in_process(run_config=config, instance=dg.DagsterInstance.ephemeral())
    assert not (tmp_path / "build").exists()
