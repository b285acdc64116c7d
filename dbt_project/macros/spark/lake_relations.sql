{#- on-run-start: the relations a run reads that dbt does not build. On DuckDB the loader wrote
    them into the build file: nothing to do. On Spark (docs/architecture.md, "Running on Spark")
    they are Parquet in the lake, var('lake_path'):
    - raw/<table>/*.parquet: each source table of schema raw, an external table over its folder;
    - carried/history/<model>.parquet: the runs kept so far of each history model, copied into
      a table partitioned by run_id that the model's run then adds its partition to. The schema
      is the model's data_types (_history__models.yml), so a file written before a release added
      a column reads as null there, and an absent file (a first run) as no rows.
    The snapshots attach their carried state themselves (macros/spark/snapshot.sql). -#}
{% macro create_lake_relations() %}
    {{ return(adapter.dispatch('create_lake_relations', 'ropa')()) }}
{% endmacro %}

{% macro default__create_lake_relations() %}
    {{ return('') }}
{% endmacro %}

{% macro spark__create_lake_relations() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set lake = var('lake_path').rstrip('/') -%}
    {%- set sources = graph.sources.values() | selectattr('package_name', 'equalto', project_name) | list -%}
    {%- for schema in sources | map(attribute='schema') | unique -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- endfor -%}
    {%- for source_node in sources -%}
        {%- set relation = source(source_node.source_name, source_node.name) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query('create table ' ~ relation ~ ' using parquet location '
            ~ quoted_text(lake ~ '/raw/' ~ source_node.identifier)) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.package_name == project_name
        and node.config.materialized == 'incremental' -%}
        {%- do create_carried_history(node, lake ~ '/carried/' ~ node.schema ~ '/' ~ node.alias ~ '.parquet') -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{% macro create_carried_history(node, path) %}
    {%- set target = api.Relation.create(schema=node.schema, identifier=node.alias, type='table') -%}
    {%- set carried = api.Relation.create(schema=node.schema, identifier=node.alias ~ '__carried', type='table') -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- if not column.data_type -%}
            {%- do exceptions.raise_compiler_error(node.name ~ '.' ~ column.name ~ ' has no data_type: the'
                ~ ' Spark build reads the carried history with the types of _history__models.yml') -%}
        {%- endif -%}
        {%- do columns.append(adapter.quote(column.name) ~ ' ' ~ spark_type_name(column.data_type | lower)) -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists ' ~ node.schema) -%}
    {%- do run_query('drop table if exists ' ~ carried) -%}
    {%- do run_query('drop table if exists ' ~ target) -%}
    {%- do run_query('create table ' ~ carried ~ ' (' ~ columns | join(', ') ~ ') using parquet location '
        ~ quoted_text(path)) -%}
    {%- do run_query('create table ' ~ target ~ ' using parquet partitioned by ('
        ~ node.config.partition_by | join(', ') ~ ') as select * from ' ~ carried) -%}
    {#- dbt listed the schema's relations before this hook: the model must find its table -#}
    {%- do adapter.cache_added(target) -%}
{% endmacro %}
