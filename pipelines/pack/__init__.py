"""The regulator pack: `write_pack` for the dashboard and the nightly job; `ropa export`."""

from pipelines.pack.writer import PackResult, write_pack

__all__ = ["PackResult", "write_pack"]
