{#- The snapshot materialization on Spark's plain Parquet tables. dbt-spark's needs Delta, Iceberg
    or Hudi (MERGE); here every run writes the whole snapshot anew: the kept versions, the open
    version of each changed or deleted row closed at this run's time, and the new versions, from
    dbt's own staging query (the same insert/update/delete rows the DuckDB snapshot merges). The
    kept versions are the table in the catalog if there is one, else the carried state in the
    lake (var lake_path, carried/<schema>/<snapshot>.parquet) read with the source's columns and
    dbt's four; a missing or empty file is a first run. -#}
{% materialization snapshot, adapter='spark' %}
    {%- set columns = config.get('snapshot_table_column_names') or get_snapshot_table_column_names() -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(target_relation) -%}
    {%- if not adapter.check_schema_exists(this.database, this.schema) -%}
        {%- do create_schema(target_relation.without_identifier()) -%}
    {%- endif -%}

    {{ run_hooks(pre_hooks) }}

    {%- set kept_relation = existing_relation or carried_snapshot(target_relation, model['compiled_code'], columns) -%}
    {%- set strategy = strategy_dispatch(config.get('strategy'))(
        model, 'snapshotted_data', 'source_data', model['config'], kept_relation is not none) -%}
    {%- if kept_relation is none -%}
        {%- set build_sql = build_snapshot_table(strategy, model['compiled_code']) -%}
    {%- else -%}
        {{ adapter.assert_valid_snapshot_target_given_strategy(kept_relation, columns, strategy) }}
        {%- set build_sql = snapshot_rewritten_sql(strategy, model['compiled_code'], kept_relation, columns) -%}
    {%- endif -%}

    {#- Spark cannot overwrite a table it reads: the kept one is replaced by a new one (dropping
        the carried external table leaves its file) -#}
    {%- set new_relation = target_relation -%}
    {%- if kept_relation is not none -%}
        {%- set new_relation = target_relation.incorporate(path={'identifier': target_relation.identifier ~ '__dbt_tmp'}) -%}
        {%- do adapter.drop_relation(new_relation) -%}
    {%- endif -%}
    {% call statement('main') %}
        {{ create_table_as(False, new_relation, build_sql) }}
    {% endcall %}
    {%- if kept_relation is not none -%}
        {%- do adapter.drop_relation(kept_relation) -%}
        {%- do adapter.rename_relation(new_relation, target_relation) -%}
    {%- endif -%}

    {{ run_hooks(post_hooks) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- The carried snapshot as an external table in the snapshot's own name (dbt's check strategy
    reads the kept columns from the relation of that name), or none when it holds no rows. -#}
{% macro carried_snapshot(target_relation, source_sql, columns) %}
    {%- set lake = var('lake_path', none) -%}
    {%- if lake is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set carried = target_relation -%}
    {%- set schema = [] -%}
    {%- for column in get_column_schema_from_query(source_sql) -%}
        {%- do schema.append(adapter.quote(column.name) ~ ' ' ~ column.data_type) -%}
    {%- endfor -%}
    {%- do schema.append(columns.dbt_scd_id ~ ' string') -%}
    {%- for name in [columns.dbt_updated_at, columns.dbt_valid_from, columns.dbt_valid_to] -%}
        {%- do schema.append(name ~ ' timestamp') -%}
    {%- endfor -%}
    {%- do run_query('drop table if exists ' ~ carried) -%}
    {%- do run_query('create table ' ~ carried ~ ' (' ~ schema | join(', ') ~ ') using parquet location '
        ~ quoted_text(lake.rstrip('/') ~ '/carried/' ~ target_relation.schema ~ '/' ~ target_relation.identifier
        ~ '.parquet')) -%}
    {%- set rows = run_query('select count(*) from ' ~ carried).columns[0].values()[0] -%}
    {%- if rows == 0 -%}
        {%- do run_query('drop table ' ~ carried) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do adapter.cache_added(carried) -%}
    {{ return(carried) }}
{% endmacro %}


{#- The whole snapshot after this run: the kept versions (the open version of a changed or deleted
    row closed at dbt_valid_to of its update/delete staging row, as dbt's snapshot merge does)
    and the staging query's inserts. A column the source gained is null in the kept versions. -#}
{% macro snapshot_rewritten_sql(strategy, source_sql, kept_relation, columns) %}
    {%- set staging_sql = snapshot_staging_table(strategy, source_sql, kept_relation) -%}
    {%- set kept_names = adapter.get_columns_in_relation(kept_relation) | map(attribute='name') | list -%}
    {%- set kept_items = [] -%}
    {%- for name in kept_names -%}
        {%- if name == columns.dbt_valid_to -%}
            {%- do kept_items.append('coalesce(closed.' ~ name ~ ', kept.' ~ name ~ ') as ' ~ name) -%}
        {%- else -%}
            {%- do kept_items.append('kept.' ~ adapter.quote(name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set inserted_items = [] -%}
    {%- for name in kept_names -%}
        {%- do inserted_items.append(adapter.quote(name)) -%}
    {%- endfor -%}
    {%- for column in get_column_schema_from_query(staging_sql) -%}
        {%- if column.name not in kept_names and column.name != 'dbt_change_type'
            and not column.name.startswith('dbt_unique_key') -%}
            {%- do kept_items.append('cast(null as ' ~ column.data_type ~ ') as ' ~ adapter.quote(column.name)) -%}
            {%- do inserted_items.append(adapter.quote(column.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    with staged as (
        {{ staging_sql }}
    ),

    closed as (
        select {{ columns.dbt_scd_id }}, {{ columns.dbt_valid_to }}
        from staged
        where dbt_change_type in ('update', 'delete')
    )

    select {{ kept_items | join(', ') }}
    from {{ kept_relation }} as kept
    left join closed
        on
            kept.{{ columns.dbt_scd_id }} = closed.{{ columns.dbt_scd_id }}
            and kept.{{ columns.dbt_valid_to }} is null

    union all

    select {{ inserted_items | join(', ') }}
    from staged
    where dbt_change_type = 'insert'
{% endmacro %}


{#- The snapshot's time, dbt_valid_from and dbt_valid_to: a timestamp without time zone, as
    DuckDB's snapshot columns (the session time zone is UTC, profiles.yml). -#}
{% macro spark__snapshot_get_time() -%}
    localtimestamp()
{%- endmacro %}
