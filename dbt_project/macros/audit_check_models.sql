{#- The audit check models: every model file named `check_<area>__<name>.sql`, sorted by name.
    A check is added by writing its model (and its audit_checks seed row); nothing lists the
    check models by hand.

    dbt records a model's parents only from the ref() calls it makes while parsing, and at parse
    time `graph` is still empty, so the names come from the project's files instead: dbt reads
    every file before it parses any, so the list does not depend on the order models are parsed
    in. With `with_refs`, each name is also passed to ref(), at parse time too, so that the
    calling node depends on every check model: dbt builds them first and Dagster shows the caller
    downstream of them. -#}
{% macro audit_check_models(with_refs=false) %}
    {%- set names = [] -%}
    {%- for file in ref.manifest.files.values() -%}
        {%- set file_name = file.path.relative_path.split('/') | last -%}
        {%- if file.parse_file_type == 'model' and file.project_name == project_name
            and modules.re.match('^check_[a-z0-9_]+__[a-z0-9_]+[.]sql$', file_name) -%}
            {%- do names.append(file_name[:-4]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set names = names | sort -%}
    {%- if with_refs and not execute -%}
        {%- for name in names -%}
            {%- set relation = ref(name) -%}
        {%- endfor -%}
    {%- elif with_refs -%}
        {#- Partial parsing re-parses only changed files: a caller parsed before a check model was
            added does not depend on it yet. Fail loudly rather than build out of order. -#}
        {%- for name in names -%}
            {%- if ('model.' ~ project_name ~ '.' ~ name) not in model.depends_on.nodes -%}
                {%- do exceptions.raise_compiler_error(
                    model.name ~ " does not depend on the check model " ~ name ~ ": dbt's saved"
                    ~ " partial parse predates it. Run `dbt parse --no-partial-parse` once.") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do return(names) -%}
{% endmacro %}


{#- The subject columns of a built check model: its columns without the trailing failing_count
    and message, in the model's order (checks.md's order, held to the seed by a test). Empty at
    parse time. -#}
{% macro audit_check_subject_keys(relation) %}
    {%- if not execute -%}
        {%- do return([]) -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- do return(columns | reject('in', ['failing_count', 'message']) | list) -%}
{% endmacro %}
