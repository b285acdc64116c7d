"""Hypothesis settings of the fuzz suite: deterministic and bounded, so CI stays short.

Failing examples are not shrunk by default (shrinking one can take minutes on a loaded
machine); `HYPOTHESIS_PROFILE=fuzz-shrink` shrinks them, to minimise a case for the corpus.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_COMMON = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz", _COMMON, phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False
)
settings.register_profile("fuzz-shrink", _COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))
