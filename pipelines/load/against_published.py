"""How a drop stands against the published warehouse: which file hashes are known without
reading the file, and whether a run would rebuild the published warehouse as it is.

Both the load asset (every run, from the UI, the schedule or `ropa run`) and `ropa run`'s check
before it starts Dagster and dbt (commands/unchanged_night.py) decide a no-op here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.load.carry_over import PublishedLoad
from pipelines.load.drop import DropListing, fingerprint, known_hashes, list_drop


@dataclass(frozen=True)
class DropAgainstPublished:
    listing: DropListing | None  # None: the drop folder does not exist (the load names it)
    alike: PublishedLoad | None  # the published load, if this key and code load files alike
    hashes: dict[str, str] = field(default_factory=dict)

    def unchanged_since(self, as_of: dt.date, key_fingerprint: str) -> PublishedLoad | None:
        """The published load, if the published warehouse is what a run of this drop would
        build; else None."""
        if self.listing is None or self.alike is None:
            return None
        if set(self.hashes) != set(self.listing.files):
            return None
        same = self.alike.is_unchanged(fingerprint(self.hashes), as_of, key_fingerprint)
        return self.alike if same else None

    def restamped(self) -> dict[str, int]:
        """The modification times of files found unchanged by their hash although their stamp
        is not the published one (a drop rewritten with the same bytes): recorded with an
        unchanged run, so that the next night knows them by their stamp again."""
        if self.listing is None or self.alike is None:
            return {}
        return {
            path: stamp.mtime_ns
            for path, stamp in self.listing.stamps.items()
            if path in self.alike.files and self.alike.files[path].stamp != stamp
        }


def compare_with_published(
    drop: Path,
    published: PublishedLoad | None,
    key_fingerprint: str,
    *,
    hash_changed_files: bool,
) -> DropAgainstPublished:
    """The drop as walked now against `published` (None: a run from scratch). A file whose
    stamp is the published one's keeps its recorded hash; with `hash_changed_files`, every other
    file is hashed now when the published load was built alike, since the hashes then decide
    the no-op and name the record files' parts (otherwise the load hashes them beside its
    work)."""
    listing = list_drop(drop) if drop.is_dir() else None
    if listing is None:
        return DropAgainstPublished(None, None)
    alike = published if published is not None and published.builds_alike(key_fingerprint) else None
    hashes = known_hashes(
        drop, listing, published, hash_the_rest=hash_changed_files and alike is not None
    )
    return DropAgainstPublished(listing, alike, hashes)
