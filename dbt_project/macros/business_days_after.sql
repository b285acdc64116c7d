{#-
    The n-th Monday-Friday strictly after `date_expr` (no public holidays), as a DATE.

    Portable: weekday from the day count since 1900-01-01 (a Monday) instead of
    dialect-specific day-of-week functions. A Saturday or Sunday start counts like the
    Friday before it (the next business day is the same Monday). From a weekday w
    (0 = Monday) the result is the Monday of that week + 7 * floor((w + n) / 5) days
    + ((w + n) mod 5) days.
-#}
{% macro business_days_after(date_expr, n_expr) -%}
    {%- set int_type = api.Column.translate_type('integer') -%}
    {%- set days_since_monday = dbt.datediff(dbt.cast("'1900-01-01'", 'date'), date_expr, 'day') -%}
    {%- set weekday = 'mod(' ~ days_since_monday ~ ', 7)' -%}
    {%- set workday = 'least(' ~ weekday ~ ', 4)' -%}
    {%- set week_monday = dbt.dateadd('day', '-1 * ' ~ weekday, date_expr) -%}
    {%- set offset -%}
        7 * {{ dbt.cast('floor((' ~ workday ~ ' + ' ~ n_expr ~ ') / 5.0)', int_type) }}
        + mod({{ workday }} + {{ n_expr }}, 5)
    {%- endset -%}
    {{ dbt.cast(dbt.dateadd('day', offset, week_monday), 'date') }}
{%- endmacro %}
