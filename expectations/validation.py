"""Validate a suite against a DataFrame through one ephemeral GX context per process."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from expectations.gx_import import import_great_expectations

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations import ExpectationSuite
    from great_expectations.core import ExpectationSuiteValidationResult


def validate(suite: ExpectationSuite, frame: pd.DataFrame) -> ExpectationSuiteValidationResult:
    """The suite's result on the frame (`.success`, and one result per expectation)."""
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    return batch.validate(suite)


@functools.cache
def _batch_definition() -> Any:
    import_great_expectations()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # tqdm bars would fill the Dagster and CLI logs.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset("table")
    return asset.add_batch_definition_whole_dataframe("whole_table")
