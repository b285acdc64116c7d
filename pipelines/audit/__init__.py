"""The audit: Great Expectations suites over the check tables dbt builds, as Dagster asset checks."""
