{#- Text helpers whose SQL differs between DuckDB and Spark. Models call these, never an
    engine's own function. -#}

{#- `text` as a SQL string literal. DuckDB doubles a quote; Spark reads '' as two adjacent
    literals and a backslash as an escape, so there both are escaped with a backslash. -#}
{% macro quoted_text(text) -%}
    {{- return(adapter.dispatch('quoted_text', 'ropa')(text)) -}}
{%- endmacro %}

{% macro default__quoted_text(text) -%}
    {{- return("'" ~ text | replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro spark__quoted_text(text) -%}
    {{- return("'" ~ text | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") -}}
{%- endmacro %}


{#- A message from a template and SQL expressions: `{}` is an argument as text, `{:,}` a whole
    number with thousands separators (1,234). Null if any argument is null, as DuckDB's format. -#}
{% macro format_message(template, arguments) -%}
    {%- set pieces = modules.re.split('(\\{(?::,)?\\})', template) -%}
    {%- set placeholders = pieces[1::2] -%}
    {%- if placeholders | length != arguments | length -%}
        {%- do exceptions.raise_compiler_error(
            "format_message: " ~ placeholders | length ~ " placeholders in '" ~ template ~ "' but "
            ~ arguments | length ~ " arguments") -%}
    {%- endif -%}
    {{- return(adapter.dispatch('format_message', 'ropa')(template, pieces, arguments)) -}}
{%- endmacro %}

{% macro default__format_message(template, pieces, arguments) -%}
    {{- return('format(' ~ quoted_text(template) ~ ', ' ~ arguments | join(', ') ~ ')') -}}
{%- endmacro %}

{% macro spark__format_message(template, pieces, arguments) -%}
    {%- set parts = [] -%}
    {%- for piece in pieces -%}
        {%- if loop.index is even -%}
            {%- set argument = arguments[loop.index // 2 - 1] -%}
            {%- if piece == '{:,}' -%}
                {%- do parts.append('format_number(' ~ argument ~ ', 0)') -%}
            {%- else -%}
                {%- do parts.append('cast(' ~ argument ~ ' as string)') -%}
            {%- endif -%}
        {%- elif piece -%}
            {%- do parts.append(quoted_text(piece)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return('concat(' ~ parts | join(', ') ~ ')') -}}
{%- endmacro %}


{#- True when `text` begins with `prefix` (both SQL expressions). -#}
{% macro text_starts_with(text, prefix) -%}
    {{- return(adapter.dispatch('text_starts_with', 'ropa')(text, prefix)) -}}
{%- endmacro %}

{% macro default__text_starts_with(text, prefix) -%}
    {{- return('starts_with(' ~ text ~ ', ' ~ prefix ~ ')') -}}
{%- endmacro %}

{% macro spark__text_starts_with(text, prefix) -%}
    {{- return('startswith(' ~ text ~ ', ' ~ prefix ~ ')') -}}
{%- endmacro %}
