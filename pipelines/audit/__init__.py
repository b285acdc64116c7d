"""The audit: Great Expectations suites over dbt check tables, run as Dagster asset checks."""
