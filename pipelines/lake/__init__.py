"""The lake of the Spark engine: the raw tables and the carried state as Parquet, for Spark to
read, and the tables Spark built, copied back into the run's DuckDB build file.

    <lake>/raw/<table>/<part>.parquet          written after the load, one part per source file
    <lake>/carried/<schema>/<table>.parquet    the history and snapshots a run carries over
    <lake>/spark-warehouse/<schema>.db/<table>/ what dbt-spark builds (spark.sql.warehouse.dir)

`<lake>` is `<warehouse>/lake` by default, or any absolute path or URI that both pyarrow and Spark
reach (s3://, gs://, hdfs://, abfs://): the settings' `lake_path`.
"""
