{#- The evaluation date ('YYYY-MM-DD') as a portable DATE literal. Models never call current_date:
    every dated rule reads this. -#}
{% macro as_of_date() %}
    {{- return(dbt.cast("'" ~ run_info_value('as_of') ~ "'", 'date')) -}}
{% endmacro %}

{#- A value of the run, as text: var(column) if dbt got it (the unit tests, dbt by hand), else
    the run's one row of raw.run_info, which the loader wrote, read when the node compiles. The
    pipeline passes no per-run var: dbt parses the whole project again when its vars change, and
    reuses its saved parse when they do not (pipelines/assets/dbt.py). Empty at parse time. -#}
{% macro run_info_value(column) %}
    {%- set passed = var(column, none) -%}
    {%- if passed is not none -%}
        {{- return(passed) -}}
    {%- endif -%}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- if model.resource_type == 'unit_test' -%}
        {%- do exceptions.raise_compiler_error(model.name ~ ': a unit test does not read the run'
            ~ "'s raw.run_info; set overrides: vars: {" ~ column ~ ': ...}') -%}
    {%- endif -%}
    {#- graph, not source(): a source() call here would make every caller depend on run_info -#}
    {%- set node = graph.sources['source.' ~ project_name ~ '.drop.run_info'] -%}
    {%- set run_info = api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier) -%}
    {%- set values = run_query('select ' ~ dbt.cast(adapter.quote(column), dbt.type_string())
        ~ ' from ' ~ run_info).columns[0].values() -%}
    {%- if values | length != 1 or values[0] is none -%}
        {%- do exceptions.raise_compiler_error(run_info ~ ' holds ' ~ values | length ~ ' rows and '
            ~ column ~ ' ' ~ values | list ~ ': the loader writes exactly one run with a ' ~ column) -%}
    {%- endif -%}
    {{- return(values[0]) -}}
{% endmacro %}
