-- Every failing subject of every audit check, with the severity the audit_checks seed gives it.
-- Each check model's subject columns are read from the built relation (they follow checks.md's
-- order), so the canonical subject_json holds exactly the check's keys in that order.
{% set check_models = [
    'check_retention__overdue',
    'check_retention__no_rule',
    'check_retention__no_period',
    'check_register__retention_missing',
    'check_register__lawful_basis_missing',
    'check_register__special_category_without_condition',
    'check_register__unknown_recipient',
    'check_register__undeclared_system',
    'check_register__undeclared_category',
    'check_vendor__dpa_missing',
    'check_vendor__dpa_expired',
    'check_transfer__no_safeguard',
    'check_transfer__adequacy_invalid',
    'check_customer__dpa_missing',
    'check_request__late',
    'check_request__overdue',
    'check_records__child',
    'check_records__duplicate_id',
    'check_records__rejected',
    'check_policy__retention_exceeds_notice',
    'check_policy__undisclosed_recipient',
    'check_policy__special_category_contradiction',
    'check_cookies__before_consent',
    'check_cookies__unknown_vendor',
] %}
{% set subject_columns = [
    'system', 'rule', 'record_type', 'customer', 'activity', 'recipient', 'vendor', 'category',
    'request_type', 'file', 'cookie',
] %}

with

audit_checks as (

    select * from {{ ref('audit_checks') }}

),

failing as (

    {% for model_name in check_models %}
        {% set relation = ref(model_name) %}
        {% if execute %}
            {% set keys = adapter.get_columns_in_relation(relation) | map(attribute='name')
                | reject('in', ['failing_count', 'message']) | list %}
        {% else %}
            {% set keys = [] %}
        {% endif %}
        {% set json_arguments = [] %}
        {% for key in keys %}
            {% do json_arguments.append("'" ~ key ~ "', cast(\"" ~ key ~ "\" as varchar)") %}
        {% endfor %}
        select
            '{{ model_name }}' as model_name,
            '{{ keys | join(";") }}' as model_subject_keys,
            cast(json_object({{ json_arguments | join(', ') }}) as varchar) as subject_json,
            {% for column in subject_columns %}
                {% if column in keys %}cast("{{ column }}" as varchar){% else %}cast(null as varchar){% endif %}
                    as "{{ column }}",
            {% endfor %}
            cast(failing_count as bigint) as failing_count,
            cast(message as varchar) as message
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
            failing."{{ column }}",
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
