-- Null counts of the columns exports.md marks required, one row per (table, column). The loader
-- rejects rows with a missing required value, so any null here means the load is broken.
{% set required = {
    'stg_drop__records': ['system_key', 'record_key', 'record_type', 'data_subject', 'created_at'],
    'stg_drop__vendors': ['vendor_key', 'legal_name', 'recipient_category', 'role', 'country'],
    'stg_drop__customers': ['customer_key', 'legal_name', 'country', 'systems', 'status'],
    'stg_drop__privacy_requests': ['request_id', 'request_type', 'data_subject', 'received_at'],
    'stg_drop__cookies': ['cookie_name', 'domain', 'purpose', 'set_before_consent'],
} %}

with

{% for model_name, columns in required.items() %}
    {{ model_name }} as (

        select * from {{ ref(model_name) }}

    ),

{% endfor %}
final as (

    {% for model_name, columns in required.items() %}
        {% for column in columns %}
            select
                '{{ model_name }}' as table_name,
                '{{ column }}' as column_name,
                cast(count(*) - count({{ column }}) as bigint) as null_count
            from {{ model_name }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
