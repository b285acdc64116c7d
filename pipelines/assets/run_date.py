"""The evaluation date of the running refresh, the same in every step of it."""

import datetime as dt

import dagster as dg

from pipelines.resources import RopaSettings


def run_evaluation_date(context: dg.AssetExecutionContext, settings: RopaSettings) -> dt.date:
    """`settings.as_of`, or the UTC day the run was created (read from the run's own record, so
    a step that starts after midnight still evaluates the day the run began)."""
    record = context.instance.get_run_record_by_id(context.run_id)
    created = record.create_timestamp if record is not None else dt.datetime.now(dt.UTC)
    return settings.evaluation_date(created)
