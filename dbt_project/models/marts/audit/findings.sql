-- Every failing subject of every audit check, with the severity the audit_checks seed gives it.
-- Nothing here lists the checks or their keys: the check models are the project's
-- `check_<area>__<name>` models (macros/audit_check_models.sql, which also makes this model
-- depend on each of them), a check's subject keys are its model's columns before failing_count
-- (checks.md's order), and the subject columns are this model's contract (_audit__models.yml).
-- A test holds the models to the seed (tests/assert_audit_check_models_match_the_seed.sql).
{% set check_models = audit_check_models(with_refs=true) %}
{% set fixed_columns = ['check_name', 'severity', 'subject_json', 'failing_count', 'message',
    'model_subject_keys'] %}
{% set subject_columns = model.columns.keys() | reject('in', fixed_columns) | list %}
{% set text_type = dbt.type_string() %}

with

audit_checks as (

    select * from {{ ref('audit_checks') }}

),

failing as (

    {% for model_name in check_models %}
        {% set relation = ref(model_name) %}
        {% set keys = audit_check_subject_keys(relation) %}
        {% for key in keys if key not in subject_columns %}
            {% do exceptions.raise_compiler_error(
                model_name ~ " has the subject column " ~ key ~ ", which the findings contract"
                ~ " lacks: add it to findings in _audit__models.yml, in checks.md's key order") %}
        {% endfor %}
        {% set subject_pairs = [] %}
        {% for key in keys %}
            {% do subject_pairs.append([key, dbt.cast(adapter.quote(key), text_type)]) %}
        {% endfor %}
        select
            '{{ model_name }}' as model_name,
            '{{ keys | join(";") }}' as model_subject_keys,
            {{ json_object_text(subject_pairs) }} as subject_json,
            {% for column in subject_columns %}
                {{ dbt.cast(adapter.quote(column) if column in keys else 'null', text_type) }}
                    as {{ adapter.quote(column) }},
            {% endfor %}
            cast(failing_count as bigint) as failing_count,
            {{ dbt.cast('message', text_type) }} as message
        from {{ relation }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        audit_checks.check_name,
        audit_checks.severity,
        failing.subject_json,
        {% for column in subject_columns %}
            failing.{{ adapter.quote(column) }},
        {% endfor %}
        failing.failing_count,
        failing.message,
        -- kept so a data test can hold each model's columns to the seed's subject_keys
        failing.model_subject_keys
    from failing
    inner join audit_checks
        on failing.model_name = audit_checks.model_name

)

select * from final
order by check_name, subject_json
