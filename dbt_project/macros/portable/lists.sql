{#- Arrays and rows from arrays, where DuckDB and Spark name things differently. An array is only
    ever a step inside a model (or a mart column, rpt_check_trend.trend). -#}

{#- Every match of the regular expression `pattern` (a Python string, written once for both
    engines: RE2 and Java agree on the syntax used) in `text`, as an array of strings. -#}
{% macro regexp_matches(text, pattern) -%}
    {{- return(adapter.dispatch('regexp_matches', 'ropa')(text, pattern)) -}}
{%- endmacro %}

{% macro default__regexp_matches(text, pattern) -%}
    {{- return('regexp_extract_all(' ~ text ~ ', ' ~ quoted_text(pattern) ~ ')') -}}
{%- endmacro %}

{% macro spark__regexp_matches(text, pattern) -%}
    {#- Spark's default group is 1; 0 is the whole match, as DuckDB's -#}
    {{- return('regexp_extract_all(' ~ text ~ ', ' ~ quoted_text(pattern) ~ ', 0)') -}}
{%- endmacro %}


{#- `text` split at every `delimiter` (a plain string, not a pattern), as an array. -#}
{% macro split_text(text, delimiter) -%}
    {{- return(adapter.dispatch('split_text', 'ropa')(text, delimiter)) -}}
{%- endmacro %}

{% macro default__split_text(text, delimiter) -%}
    {{- return('string_split(' ~ text ~ ', ' ~ quoted_text(delimiter) ~ ')') -}}
{%- endmacro %}

{% macro spark__split_text(text, delimiter) -%}
    {{- return('split(' ~ text ~ ', ' ~ quoted_text(modules.re.escape(delimiter)) ~ ', -1)') -}}
{%- endmacro %}


{#- A select-list item: one row per element of `array` (none for an empty or null array), the
    element named `name`. -#}
{% macro unnest_rows(array, name) -%}
    {{- return(adapter.dispatch('unnest_rows', 'ropa')(array, name)) -}}
{%- endmacro %}

{% macro default__unnest_rows(array, name) -%}
    {{- return('unnest(' ~ array ~ ') as ' ~ name) -}}
{%- endmacro %}

{% macro spark__unnest_rows(array, name) -%}
    {{- return('explode(' ~ array ~ ') as ' ~ name) -}}
{%- endmacro %}


{#- Select-list items: one row per element of `array`, its 1-based position named
    `position_name` and the element `value_name`. -#}
{% macro unnest_with_position(array, position_name, value_name) -%}
    {{- return(adapter.dispatch('unnest_with_position', 'ropa')(array, position_name, value_name)) -}}
{%- endmacro %}

{% macro default__unnest_with_position(array, position_name, value_name) -%}
    {{- return('generate_subscripts(' ~ array ~ ', 1) as ' ~ position_name
        ~ ', unnest(' ~ array ~ ') as ' ~ value_name) -}}
{%- endmacro %}

{% macro spark__unnest_with_position(array, position_name, value_name) -%}
    {{- return('inline(transform(' ~ array ~ ', (element, position) -> named_struct('
        ~ quoted_text(position_name) ~ ', position + 1, ' ~ quoted_text(value_name) ~ ', element)))') -}}
{%- endmacro %}


{#- The aggregate array of `value` ordered by the expressions `order_by` (ascending; nulls in
    `value` kept). -#}
{% macro ordered_array_agg(value, order_by) -%}
    {{- return(adapter.dispatch('ordered_array_agg', 'ropa')(value, order_by)) -}}
{%- endmacro %}

{% macro default__ordered_array_agg(value, order_by) -%}
    {{- return('list(' ~ value ~ ' order by ' ~ order_by | join(', ') ~ ')') -}}
{%- endmacro %}

{% macro spark__ordered_array_agg(value, order_by) -%}
    {%- set fields = [] -%}
    {%- for expression in order_by -%}
        {#- nulls last, as DuckDB orders: a struct's null field sorts first on Spark -#}
        {%- do fields.append("'sort_" ~ loop.index ~ "_is_null', " ~ expression ~ ' is null') -%}
        {%- do fields.append("'sort_" ~ loop.index ~ "', " ~ expression) -%}
    {%- endfor -%}
    {#- array_sort orders the structs field by field, the sort keys first -#}
    {{- return('transform(array_sort(collect_list(named_struct(' ~ fields | join(', ')
        ~ ", 'element', " ~ value ~ '))), entry -> entry.element)') -}}
{%- endmacro %}
