{#- A model's column rules as one test: required columns, unique columns (nulls aside, as dbt's
    `unique`), one unique combination of columns, and accepted values (nulls aside, as dbt's
    `accepted_values`). One row per rule the rows break, with how many rows or values break it.
    Why one test: every dbt test is a node costing dbt some 0.05 s however small its table, and
    the night ran about 360 single-column tests; here the null and value counts are one scan. -#}
{% test well_formed(model, not_null=[], unique=[], unique_combination=[], accepted_values={}) %}

{%- set branch = namespace(first=true) %}
{#- the rules counted in one scan: (rule, column, its count in `counted`) -#}
{%- set counted_rules = [] %}
{%- for column in not_null %}{% do counted_rules.append(('not_null', column, column ~ '__null')) %}{% endfor %}
{%- for column in accepted_values %}{% do counted_rules.append(('accepted_values', column, column ~ '__not_accepted')) %}{% endfor %}

with

counted as (

    select
        count(*) as row_count
        {%- for column in not_null %},
        count(case when {{ column }} is null then 1 end) as {{ column }}__null
        {%- endfor %}
        {%- for column, values in accepted_values.items() %},
        count(case when {{ column }} not in (
            {%- for value in values %}{{ dbt.string_literal(value) }}{{ ", " if not loop.last }}{% endfor -%}
        ) then 1 end) as {{ column }}__not_accepted
        {%- endfor %}
    from {{ model }}

),

broken as (
    {%- for rule, column, count in counted_rules %}
    {{ "union all" if not branch.first }}
    select '{{ rule }}' as rule, '{{ column }}' as columns, {{ count }} as failing_rows
    from counted
    {%- set branch.first = false %}
    {%- endfor %}
    {%- for column in unique %}
    {{ "union all" if not branch.first }}
    select 'unique' as rule, '{{ column }}' as columns, count(*) as failing_rows
    from (
        select {{ column }} from {{ model }}
        where {{ column }} is not null
        group by {{ column }}
        having count(*) > 1
    ) as repeated
    {%- set branch.first = false %}
    {%- endfor %}
    {%- if unique_combination %}
    {{ "union all" if not branch.first }}
    select 'unique_combination' as rule, '{{ unique_combination | join(", ") }}' as columns,
        count(*) as failing_rows
    from (
        select {{ unique_combination | join(", ") }} from {{ model }}
        group by {{ unique_combination | join(", ") }}
        having count(*) > 1
    ) as repeated
    {%- endif %}

)

select * from broken
where failing_rows > 0

{% endtest %}
