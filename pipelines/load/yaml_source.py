"""YAML with line numbers, so that an error in a register file names its line.

The register is plain data, read with PyYAML's safe loader and held to more than YAML asks: a
key twice in one mapping is an error (YAML lets the last one win, silently), no tag outside
YAML's own types is accepted, and aliases may add at most `ALIAS_NODE_LIMIT` values, counted
when the document is composed, before anything is expanded (a few kilobytes of nested aliases
would otherwise expand to gigabytes). Every error is told in our words, with its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipelines.load.errors import DropError

LINE_KEY = "__line__"
ALIAS_NODE_LIMIT = 10_000
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"


class _Refused(Exception):
    """A breach found while the YAML is read: its 0-based line, the key concerned, what."""

    def __init__(self, mark: Any, field: str | None, problem: str) -> None:  # a yaml Mark
        super().__init__(problem)
        self.line: int | None = mark.line if mark else None
        self.field = field
        self.problem = problem


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the 1-based line of every mapping under `__line__`, refuses
    duplicate keys and unknown tags, and bounds what aliases add."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_nodes = 0
        self.open_anchors: set[str] = set()
        self.node_sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open_anchors:
                raise _Refused(
                    event.start_mark, None,
                    f"the alias '*{event.anchor}' is inside the value it names (a loop)",
                )  # fmt: skip
            node = super().compose_node(parent, index)
            self.alias_nodes += _size(node, self.node_sizes) if node is not None else 0
            if self.alias_nodes > ALIAS_NODE_LIMIT:
                raise _Refused(
                    event.start_mark, None,
                    f"aliases (*name) would expand this file by more than {ALIAS_NODE_LIMIT:,} "
                    "values: write the values out",
                )  # fmt: skip
            return node
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            return super().compose_node(parent, index)
        self.open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self.open_anchors.discard(anchor)


def _size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the node stands for once its aliases are expanded (memoised per node,
    so shared nodes are counted in linear time)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_size(key, sizes) + _size(value, sizes) for key, value in node.value)
    sizes[id(node)] = size
    return size


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    first_lines: dict[str, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG:
            continue  # `<<` merges: the mapping's own keys win over merged ones, as YAML says
        key = str(loader.construct_object(key_node, deep=True))
        line = key_node.start_mark.line + 1
        if key in first_lines:
            raise _Refused(
                key_node.start_mark,
                key,
                f"duplicate key '{key}' (first at line {first_lines[key]})",
            )
        first_lines[key] = line
    mapping: dict[str, Any] = {
        str(k): v for k, v in loader.construct_mapping(node, deep=True).items()
    }
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


def _refuse_tag(loader: _LineLoader, node: yaml.Node) -> None:
    del loader
    tag = str(node.tag)
    if tag.startswith(_STANDARD_TAG_PREFIX):
        tag = "!!" + tag.removeprefix(_STANDARD_TAG_PREFIX)
    raise _Refused(
        node.start_mark, None,
        f"the tag '{tag}' is not accepted: the register holds plain YAML "
        "(mappings, lists, text, numbers, booleans, dates)",
    )  # fmt: skip


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(None, _refuse_tag)

# What the scanner and the parser report, in our words (the first match wins).
_SYNTAX_HINTS = (
    ("found character '\\t'", "a tab character: YAML is indented with spaces only"),
    ("quoted scalar", "a quote is not closed"),
    ("flow", "a bracket or brace is not closed, or a ',' is missing"),
    ("mapping values are not allowed", "a ':' where a value was expected: quote the text"),
    ("block end", "the indentation does not match the lines above"),
    ("could not find expected ':'", "a key without ':' after it"),
    ("single document", "more than one YAML document (---): write one document a file"),
    ("unhashable key", "a list or mapping used as a key"),
    ("undefined alias", "an alias (*name) without an anchor (&name) before it"),
)
_DEFAULT_HINT = "check indentation, quotes and brackets"


def _syntax_error(relative: str, error: yaml.MarkedYAMLError) -> DropError:
    said = f"{error.context or ''} {error.problem or ''}"
    hint = next((ours for theirs, ours in _SYNTAX_HINTS if theirs in said), None)
    # A quote or bracket left open is found at the end of the file: name where it opened.
    unclosed = "end of stream" in said or "<stream end>" in said
    mark = (error.context_mark if unclosed else None) or error.problem_mark or error.context_mark
    if mark is None:
        return DropError(relative, "file", None, f"not valid YAML: {hint or _DEFAULT_HINT}")
    problem = f"not valid YAML at column {mark.column + 1}: {hint or _DEFAULT_HINT}"
    return DropError(relative, f"line {mark.line + 1}", None, problem)


def _line_after(prefix: bytes) -> str:
    breaks = prefix.count(b"\n")
    return f"line {breaks + 1}"


def read_yaml(path: Path, relative: str) -> Any:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DropError(relative, "file", None, f"cannot be read ({error.strerror})") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _line_after(data[: error.start])
        problem = f"not UTF-8 (byte 0x{data[error.start]:02x}): save the file as UTF-8"
        raise DropError(relative, line, None, problem) from error
    loader: _LineLoader | None = None
    try:
        loader = _LineLoader(text)  # checks every character first (ReaderError)
        return loader.get_single_data()
    except _Refused as refused:
        line = f"line {refused.line + 1}" if refused.line is not None else "file"
        raise DropError(relative, line, refused.field, refused.problem) from refused
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(relative, error) from error
    except yaml.reader.ReaderError as error:
        problem = f"a control character (U+{error.character:04X}) is not allowed in YAML"
        raise DropError(
            relative, _line_after(text[: error.position].encode()), None, problem
        ) from error
    except RecursionError as error:
        raise DropError(relative, "file", None, "nested too deeply to be read") from error
    finally:
        if loader is not None:
            loader.dispose()


def strip_lines(value: Any) -> Any:
    """The same data without the `__line__` markers, for validation by fideslang's models."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def line_of(value: Any) -> str:
    return f"line {value[LINE_KEY]}" if isinstance(value, dict) and LINE_KEY in value else "file"
