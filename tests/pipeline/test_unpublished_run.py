"""A run Dagster counts as a success but that did not publish is a failure of `ropa run`.

Dagster skips, not fails, a step whose input never came (an asset that yielded nothing, as when
dbt's events were lost to Spark's progress bar). Real in-process runs of a two-step job named
like the refresh's steps.
"""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg

from commands.run import PUBLISH_STEP, unpublished_reason


def _run(load_yields: bool) -> dg.ExecuteInProcessResult:
    @dg.asset(name="export_drop", output_required=False)
    def load() -> Iterator[dg.Output[int]]:
        if load_yields:
            yield dg.Output(1)

    @dg.asset(name=PUBLISH_STEP)
    def publish(export_drop: int) -> int:
        return export_drop

    return dg.materialize([load, publish], instance=dg.DagsterInstance.ephemeral())


def test_a_run_whose_publish_step_was_skipped_did_not_publish() -> None:
    result = _run(load_yields=False)
    assert result.success  # Dagster's view: nothing failed
    reason = unpublished_reason(result)
    assert reason is not None and reason.endswith(f"skipped: {PUBLISH_STEP}")


def test_a_run_that_published_has_no_reason() -> None:
    assert unpublished_reason(_run(load_yields=True)) is None
