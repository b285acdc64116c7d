"""YAML with line numbers, so that an error in a register file names its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipelines.load.errors import DropError

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the 1-based line of every mapping under `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        str(k): v for k, v in loader.construct_mapping(node, deep=True).items()
    }
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, relative: str) -> Any:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return yaml.load(handle, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}" if mark else "file"
        raise DropError(relative, line, None, f"not valid YAML: {error.problem}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise DropError(relative, "file", None, f"cannot be read: {error}") from error


def strip_lines(value: Any) -> Any:
    """The same data without the `__line__` markers, for validation by fideslang's models."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def line_of(value: Any) -> str:
    return f"line {value[LINE_KEY]}" if isinstance(value, dict) and LINE_KEY in value else "file"
