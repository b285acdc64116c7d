"""The regulator pack: `write_pack` for the dashboard and the nightly job; `ropa export`.

A pack is one folder, named by its pack id (`<warehouse>/packs/<pack_id>/` for the series the
nightly job keeps), holding:

- `ropa.xlsx`: sheets Controller (ICO template layout), Processor, Recipients, Transfers,
  Retention schedule;
- `ropa.pdf`: cover, contents, one section per activity, processor records, recipients,
  transfers, retention schedule, findings summary;
- `ropa.json` (valid against `ropa.schema.json`), `controller.csv`, `processor.csv`;
- `findings.json` (checks.md), `changes.json` and `changes.md` (since the previous pack);
- `manifest.json`: ids, dates, drop fingerprint and the SHA-256 of every other file
  (`ropa verify DIR` checks them).

Only the columns that ropa.schema.json lists leave the warehouse: categories, counts and the
organisation's own contacts, never record-level data.
"""

from pipelines.pack.identity import new_pack_id
from pipelines.pack.writer import PackResult, write_pack

__all__ = ["PackResult", "new_pack_id", "write_pack"]
