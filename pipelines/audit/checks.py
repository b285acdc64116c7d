"""Dagster asset checks for the audit (filled in by issue #5; importable now for definitions.py)."""

from __future__ import annotations

import dagster as dg

audit_asset_checks: list[dg.AssetChecksDefinition] = []
