{#- dbt's cross-database macros where dbt-spark's own differ from DuckDB's results. dbt_project.yml
    dispatches namespace `dbt` to this project first, so models keep calling dbt.cast and
    dbt.listagg. -#}

{#- cast() with the type names the project writes (DuckDB's, as in the marts' contracts):
    varchar/text is Spark's string, `t[]` its array<t>. dbt also casts the contracts' data_type
    through this when it checks a contract. -#}
{% macro spark__cast(field, type) -%}
    {%- set name = type | trim | lower -%}
    {%- if name.endswith('[]') -%}
        {%- set spark_type = 'array<' ~ spark_type_name(name[:-2]) ~ '>' -%}
    {%- else -%}
        {%- set spark_type = spark_type_name(name) -%}
    {%- endif -%}
    cast({{ field }} as {{ spark_type }})
{%- endmacro %}

{% macro spark_type_name(name) -%}
    {{- return({'varchar': 'string', 'text': 'string'}.get(name, name)) -}}
{%- endmacro %}


{#- dateadd as DuckDB's `x + n * interval 1 <unit>` (a timestamp; month ends clamp: Jan 31 + 1
    month = Feb 28/29). dbt-spark's goes through to_timestamp(seconds), which fails when
    `timestamp` is without time zone (profiles.yml). -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set unit = datepart | lower -%}
    {%- if unit not in ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] -%}
        {%- do exceptions.raise_compiler_error('dateadd: no datepart ' ~ datepart ~ ' on Spark') -%}
    {%- endif -%}
    timestampadd({{ unit | upper }}, cast({{ interval }} as bigint), {{ from_date_or_timestamp }})
{%- endmacro %}


{#- datediff in days as a bigint, as DuckDB's date_diff (Spark's datediff is an int: the
    contracts say bigint). -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart | lower != 'day' -%}
        {%- do exceptions.raise_compiler_error('datediff: only day is used, not ' ~ datepart) -%}
    {%- endif -%}
    cast(datediff({{ second_date }}, {{ first_date }}) as bigint)
{%- endmacro %}


{#- listagg in the order asked for: dbt-spark's ignores order_by_clause (collect_list has no
    order). The clause is one ascending expression (`order by x`), as every model writes it. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {%- do exceptions.raise_compiler_error('listagg: limit_num is not supported on Spark') -%}
    {%- endif -%}
    {%- if not order_by_clause -%}
        {%- set values = 'collect_list(' ~ measure ~ ')' -%}
    {%- else -%}
        {%- set sort_key = modules.re.sub('(?i)^\\s*order\\s+by\\s+', '', order_by_clause) -%}
        {%- if modules.re.search('(?i)\\s(asc|desc)\\s*$|\\snulls\\s', sort_key) -%}
            {%- do exceptions.raise_compiler_error(
                'listagg on Spark sorts ascending by one expression, not: ' ~ order_by_clause) -%}
        {%- endif -%}
        {#- nulls last, as DuckDB orders: a struct's null field sorts first on Spark -#}
        {%- set values = "transform(array_sort(collect_list(named_struct('sort_key_is_null', " ~ sort_key
            ~ " is null, 'sort_key', " ~ sort_key ~ ", 'measure', " ~ measure ~ "))), entry -> entry.measure)" -%}
    {%- endif -%}
    {#- null when no value is, as string_agg (array_join of nothing is '') -#}
    case when count({{ measure }}) > 0 then array_join({{ values }}, {{ delimiter_text }}) end
{%- endmacro %}


{#- safe_cast, as dbt uses it for unit-test fixture values: a YAML list is array(...) on Spark
    (DuckDB reads the rendered [7, 3] as a list itself). -#}
{% macro spark__safe_cast(field, type) -%}
    {%- if field is iterable and field is not string and field is not mapping -%}
        cast(array({{ field | join(', ') }}) as {{ type }})
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}


{#- A seed's rows as SQL literals. dbt-spark's binds them into the statement unescaped (a quote in
    a cell breaks it) and writes an empty cell as the text 'None'; DuckDB reads it as null. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- set literal = 'null' -%}
                {%- elif value is number or value is boolean -%}
                    {%- set literal = value | string | lower -%}
                {%- else -%}
                    {%- set literal = quoted_text(value | string) -%}
                {%- endif -%}
                {%- do values.append('cast(' ~ literal ~ ' as ' ~ types[loop.index0] ~ ')') -%}
            {%- endfor -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows | join(', ') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
