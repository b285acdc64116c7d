"""Dagster pipelines of the ROPA warehouse: load an export drop, build the record, audit it."""
