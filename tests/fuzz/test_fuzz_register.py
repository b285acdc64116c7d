"""Broken register YAML through the real loader: the run fails with a DropError naming the
file (never another exception), or the register still loads and every row is counted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.fuzz.invariant import check_load, minimal_drop_copy
from tests.fuzz.register_strategies import RegisterMutation, text_mutations, tree_mutations

pytestmark = pytest.mark.fuzz

FUZZ = settings(max_examples=15)  # the profile in conftest.py: deterministic, no shrinking


def _check(mutation: RegisterMutation) -> None:
    with minimal_drop_copy() as drop:
        (drop / mutation.file).write_bytes(mutation.content)
        check_load(drop, {})


@FUZZ
@given(mutation=tree_mutations())
def test_register_value_of_another_type(mutation: RegisterMutation) -> None:
    _check(mutation)


@FUZZ
@given(mutation=text_mutations())
def test_register_text_edit(mutation: RegisterMutation) -> None:
    _check(mutation)
