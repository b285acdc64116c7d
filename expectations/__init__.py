"""Great Expectations suites over the tables dbt builds for the audit (validated as DataFrames)."""
