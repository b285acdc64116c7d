{#- The config of a history model: rows kept across runs, a rerun of a run id replacing that run's
    rows. DuckDB deletes and inserts the run's rows. Spark's plain Parquet tables cannot delete, so
    there the table is partitioned by run_id and the run's partition overwritten (dynamic
    partition overwrite, profiles.yml); the kept runs are the carried state
    (macros/spark/lake_relations.sql). -#}
{% macro history_config() %}
    {{ return(adapter.dispatch('history_config', 'ropa')()) }}
{% endmacro %}

{% macro default__history_config() %}
    {{ return({'unique_key': 'run_id', 'incremental_strategy': 'delete+insert'}) }}
{% endmacro %}

{% macro spark__history_config() %}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': ['run_id'], 'file_format': 'parquet'}) }}
{% endmacro %}
