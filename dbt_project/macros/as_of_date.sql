{#- The evaluation date, var('as_of') ('YYYY-MM-DD'), as a portable DATE literal. Models never
    call current_date: every dated rule reads this. -#}
{% macro as_of_date() %}
    {{- return(dbt.cast("'" ~ var('as_of') ~ "'", 'date')) -}}
{% endmacro %}
