"""Where the lake is: one root (an absolute path or a URI) and the folders under it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pyarrow.fs as pafs

# Where the lake is when not under the warehouse folder (`ropa run`, the UI and the daemon).
LAKE_PATH_ENV = "ROPA_LAKE_PATH"
RAW_FOLDER = "raw"
CARRIED_FOLDER = "carried"
SPARK_WAREHOUSE_FOLDER = "spark-warehouse"


@dataclass(frozen=True)
class Lake:
    """The lake at `root`, as Spark names it (the dbt vars) and as pyarrow reaches it."""

    root: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", self.root.rstrip("/"))

    def location(self, *parts: str) -> str:
        """`<root>/<parts...>` as Spark reads it: the same spelling as `root`."""
        return "/".join((self.root, *parts))

    @property
    def spark_warehouse(self) -> str:
        return self.location(SPARK_WAREHOUSE_FOLDER)

    @cached_property
    def _filesystem(self) -> tuple[pafs.FileSystem, str]:
        return pafs.FileSystem.from_uri(self.root)

    @property
    def filesystem(self) -> pafs.FileSystem:
        return self._filesystem[0]

    def path(self, *parts: str) -> str:
        """`<root>/<parts...>` inside `filesystem` (no scheme)."""
        return "/".join((self._filesystem[1].rstrip("/"), *parts))

    def replace_folder(self, *parts: str) -> str:
        """An empty folder at `<root>/<parts...>` (what was there is removed); its path."""
        path = self.path(*parts)
        if self.filesystem.get_file_info(path).type != pafs.FileType.NotFound:
            self.filesystem.delete_dir(path)
        self.filesystem.create_dir(path, recursive=True)
        return path
