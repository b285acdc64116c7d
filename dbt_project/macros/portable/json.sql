{#- A JSON object as text, compact (`{"a":"x","b":null}`), keys in the order given: `pairs` is a
    list of [key, SQL expression of text]. A null value is written as null, not left out. -#}
{% macro json_object_text(pairs) -%}
    {%- set arguments = [] -%}
    {%- for key, value in pairs -%}
        {%- do arguments.append(quoted_text(key) ~ ', ' ~ value) -%}
    {%- endfor -%}
    {{- return(adapter.dispatch('json_object_text', 'ropa')(arguments | join(', '))) -}}
{%- endmacro %}

{% macro default__json_object_text(key_value_list) -%}
    {{- return(dbt.cast('json_object(' ~ key_value_list ~ ')', dbt.type_string())) -}}
{%- endmacro %}

{% macro spark__json_object_text(key_value_list) -%}
    {{- return('to_json(named_struct(' ~ key_value_list ~ "), map('ignoreNullFields', 'false'))") -}}
{%- endmacro %}
