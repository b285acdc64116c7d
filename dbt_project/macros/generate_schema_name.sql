{#- Use custom schema names verbatim (staging, marts, history, ...): analysts query
    `marts.ropa_controller`, and the pipeline carries `history` and `snapshots` across runs. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
