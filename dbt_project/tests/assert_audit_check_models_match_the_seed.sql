-- The audit_checks seed and the check models agree: every `check_<area>__<name>` model has a seed
-- row, every seed row names such a model, and each model's columns are the row's subject_keys (in
-- order) followed by failing_count and message. One row per disagreement.
{% set check_models = audit_check_models(with_refs=true) %}

with

audit_checks as (

    select * from {{ ref('audit_checks') }}

),

check_models as (

    {% for model_name in check_models %}
        {% set columns = audit_check_subject_keys(ref(model_name)) %}
        {% set all_columns = adapter.get_columns_in_relation(ref(model_name)) | map(attribute='name')
            | list if execute else [] %}
        select
            '{{ model_name }}' as model_name,
            '{{ columns | join(";") }}' as model_subject_keys,
            {{ 'true' if all_columns[-2:] == ['failing_count', 'message'] else 'false' }}
                as ends_with_count_and_message
        {% if not loop.last %}union all{% endif %}
    {% else %}
        select
            {{ dbt.cast('null', dbt.type_string()) }} as model_name,
            {{ dbt.cast('null', dbt.type_string()) }} as model_subject_keys,
            true as ends_with_count_and_message
        where false
    {% endfor %}

),

compared as (

    select
        coalesce(audit_checks.model_name, check_models.model_name) as model_name,
        audit_checks.check_name,
        audit_checks.subject_keys as seed_subject_keys,
        check_models.model_subject_keys,
        case
            when check_models.model_name is null then 'seed row names no check model'
            when audit_checks.model_name is null then 'check model without a seed row'
            when check_models.model_subject_keys != audit_checks.subject_keys
                then 'subject columns differ from the seed subject_keys'
            when not check_models.ends_with_count_and_message
                then 'columns do not end with failing_count, message'
        end as problem
    from audit_checks
    full outer join check_models
        on audit_checks.model_name = check_models.model_name

)

select * from compared
where problem is not null
