"""Hypothesis strategies that break the minimal drop's register YAML, as a tree and as text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.fuzz.invariant import MINIMAL_DROP
from tests.fuzz.strategies import hostile_text

REGISTER_FILES = tuple(
    sorted(
        p.relative_to(MINIMAL_DROP).as_posix() for p in (MINIMAL_DROP / "register").rglob("*.yml")
    )
)
_TAGS = (
    "!!python/object/apply:os.system ['true']", "!custom", "!!binary aGk=", "!!timestamp",
    "!!set", "!!omap", "!!int", "!!str", "!!float", "!!null", "!!map", "!!seq",
)  # fmt: skip
_HOSTILE_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(),
    st.dates(), st.datetimes(), hostile_text(), st.binary(max_size=4),
    st.lists(st.integers() | st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers() | st.none(), max_size=3),
    st.just({"fides_key": "x"}), st.just([{"fides_key": "portal"}]),
)  # fmt: skip


@dataclass(frozen=True)
class RegisterMutation:
    file: str  # relative to the drop
    content: bytes
    how: str


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _replaced(node: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = _replaced(node[head], rest, value, delete)
    return copy


@st.composite
def tree_mutations(draw: st.DrawFn) -> RegisterMutation:
    """A value somewhere in a register file replaced by one of another type, or removed."""
    file = draw(st.sampled_from(REGISTER_FILES))
    tree = yaml.safe_load((MINIMAL_DROP / file).read_text(encoding="utf-8"))
    path = draw(st.sampled_from(_paths(tree)))
    delete = bool(path) and draw(st.booleans())
    mutated = _replaced(tree, path, draw(_HOSTILE_VALUES), delete)
    text = yaml.safe_dump(mutated, allow_unicode=draw(st.booleans()), sort_keys=False)
    return RegisterMutation(file, text.encode("utf-8"), f"{'delete' if delete else 'set'} {path}")


def _line_edit(draw: st.DrawFn, lines: list[str]) -> tuple[list[str], str]:
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    body = line.lstrip(" ")
    indent = line[: len(line) - len(body)]
    edits = {
        "duplicate line": lambda: [*lines[: index + 1], line, *lines[index + 1 :]],
        "tab indent": lambda: [*lines[:index], "\t" + body, *lines[index + 1 :]],
        "tag": lambda: [
            *lines[:index],
            line.replace(": ", f": {draw(st.sampled_from(_TAGS))} ", 1)
            if ": " in line
            else f"{indent}{draw(st.sampled_from(_TAGS))} {body}",
            *lines[index + 1 :],
        ],
        "anchor and alias": lambda: [
            *lines[:index],
            line.replace(":", ": &a", 1) if line.rstrip().endswith(":") else line,
            *lines[index + 1 :],
            f"{indent}alias_again: *a" if indent else "extra: *a",
        ],
        "alias bomb": lambda: [
            "a: &a [x, x, x, x, x, x, x, x]",
            *(f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]" for p, n in
              zip("abcde", "bcdef", strict=True)),
            *lines,
        ],
        "hostile scalar": lambda: [
            *lines[:index],
            f"{line.split(':', 1)[0]}: {draw(hostile_text())}" if ":" in line else line,
            *lines[index + 1 :],
        ],
        "second document": lambda: [*lines, "---", *lines],
        "top-level list": lambda: ["- " + lines[0], *lines[1:]],
    }  # fmt: skip
    how = draw(st.sampled_from(sorted(edits)))
    return edits[how](), how


@st.composite
def text_mutations(draw: st.DrawFn) -> RegisterMutation:
    """Edits of a register file's text: duplicate keys, tabs, tags, anchors and aliases,
    hostile scalars, truncation, other encodings."""
    file = draw(st.sampled_from(REGISTER_FILES))
    text = (MINIMAL_DROP / file).read_text(encoding="utf-8")
    lines, how = _line_edit(draw, text.splitlines())
    text = "\n".join(lines) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    content = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 5)) == 0:
        content = content[: draw(st.integers(0, len(content)))]
        how += ", truncated"
    return RegisterMutation(file, content, f"{how} ({encoding})")
