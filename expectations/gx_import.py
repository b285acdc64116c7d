"""Great Expectations, imported once per process, on first use.

Not at module import: importing GX takes seconds, and `ropa --help` or the dashboard should not
pay for it. During the import the cyclic garbage collector waits: GX creates hundreds of
thousands of objects that live as long as the process, and each collection they trigger walks
the whole heap of the Dagster run for next to nothing: a third of the import's time (measured).
"""

from __future__ import annotations

import functools
import gc
import os


@functools.cache
def import_great_expectations() -> None:
    # GX phones home unless told not to; the warehouse runs offline.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    collecting = gc.isenabled()
    gc.disable()
    try:
        import great_expectations.expectations  # noqa: F401
    finally:
        if collecting:
            gc.enable()
