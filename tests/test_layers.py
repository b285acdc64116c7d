"""Imports run one way: from a higher layer down to a lower one, never back up.

A module may import from its own layer and the layers below it. The demo generator stands
apart: it models the organisation's systems independently of the pipeline that audits them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# (package prefix, layer): the longest matching prefix decides a module's layer.
LAYERS = {
    "pipelines": 0,  # the package itself, and any module not named below
    "pipelines.lib": 0,
    "expectations": 0,
    "pipelines.load": 1,
    "pipelines.pack": 1,
    "pipelines.lake": 1,
    "pipelines.resources": 2,
    "pipelines.assets": 3,
    "pipelines.jobs": 3,
    "pipelines.progress": 3,
    "pipelines.definitions": 4,
    "dashboards": 5,
    "commands": 6,
}
PROJECT_PACKAGES = ("pipelines", "expectations", "dashboards", "commands", "demo_drop")


def _layer(module: str) -> int | None:
    matches = [prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")]
    return LAYERS[max(matches, key=len)] if matches else None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return [name for name in names if name.split(".")[0] in PROJECT_PACKAGES]


def _sources() -> list[Path]:
    return sorted(path for package in PROJECT_PACKAGES for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_import_runs_from_a_lower_layer_up(path: Path) -> None:
    module = _module_name(path)
    if module.startswith("demo_drop"):
        outside = [name for name in _imports(path) if not name.startswith("demo_drop")]
        assert not outside, f"the demo generator imports the project: {outside}"
        return
    layer = _layer(module)
    assert layer is not None, f"{module} belongs to no layer of this test"
    upward = [name for name in _imports(path) if (_layer(name) or 0) > layer]
    assert not upward, f"{module} (layer {layer}) imports from a higher layer: {upward}"


def test_every_command_line_adapter_is_in_the_commands_package() -> None:
    adapters = [
        path.relative_to(ROOT)
        for path in _sources()
        if "def add_arguments(" in path.read_text(encoding="utf-8")
    ]
    assert adapters and all(path.parts[0] == "commands" for path in adapters), adapters
