"""A quiet Dagster logger for the terminal: one line per step and per loaded file."""

import logging
import sys
import time
from typing import Any

import dagster as dg

_SHOWN_EVENTS = {"STEP_START": "started", "STEP_SUCCESS": "done", "STEP_FAILURE": "FAILED"}


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self._started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        meta: dict[str, Any] = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        elapsed = f"{time.monotonic() - self._started:7.1f}s"
        if event is not None:
            label = _SHOWN_EVENTS.get(event.event_type_value)
            if label:
                print(f"{elapsed}  {event.step_key}: {label}", file=sys.stderr, flush=True)
            return
        message = str(meta.get("orig_message") or "")
        if message.startswith("loading "):
            print(f"{elapsed}    {message}", file=sys.stderr, flush=True)


@dg.logger(config_schema={}, description="One line per step and per loaded file, for `ropa run`.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("ropa.progress")
    logger.handlers = [_ProgressHandler()]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger
