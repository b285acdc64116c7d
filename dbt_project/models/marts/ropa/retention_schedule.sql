{%- set bigint = api.Column.translate_type('bigint') -%}
{%- set count_columns = [
    'records', 'records_no_deadline', 'records_on_legal_hold', 'records_overdue',
    'records_due_within_30_days', 'records_due_within_90_days', 'overdue_0_30_days',
    'overdue_31_90_days', 'overdue_91_365_days', 'overdue_over_365_days',
] -%}

with

rules as (

    select * from {{ ref('int_retention_rules_described') }}

),

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

subjects as (

    select * from {{ ref('int_taxonomy_terms_unioned') }}
    where taxonomy_type = 'data_subject'

),

retention_counts as (

    select * from {{ ref('int_retention_counts') }}

),

rule_counts as (

    select
        rule_key,
        sum(records) as records,
        sum(records_no_deadline) as records_no_deadline,
        sum(records_on_legal_hold) as records_on_legal_hold,
        sum(records_overdue) as records_overdue,
        sum(records_due_within_30_days) as records_due_within_30_days,
        sum(records_due_within_90_days) as records_due_within_90_days,
        sum(overdue_0_30_days) as overdue_0_30_days,
        sum(overdue_31_90_days) as overdue_31_90_days,
        sum(overdue_91_365_days) as overdue_91_365_days,
        sum(overdue_over_365_days) as overdue_over_365_days,
        min(next_deadline_on) as next_deadline_on
    from retention_counts
    where rule_key is not null
    group by rule_key

),

final as (

    select
        rules.rule_key,
        rules.system_key,
        rules.record_type,
        rules.data_subject,
        rules.anchor,
        rules.period_text as period,
        rules.period_source,
        rules.action,
        rules.basis,
        {%- for column in count_columns %}
        {{ dbt.cast('coalesce(rule_counts.' ~ column ~ ', 0)', bigint) }} as {{ column }},  -- noqa: LT02
        {%- endfor %}
        rule_counts.next_deadline_on,
        coalesce(systems.name, rules.system_key) as system_name,
        coalesce(subjects.name, rules.data_subject) as data_subject_name,
        rules.rule_text
    from rules
    left join rule_counts
        on rules.rule_key = rule_counts.rule_key
    left join systems
        on rules.system_key = systems.system_key
    left join subjects
        on rules.data_subject = subjects.taxonomy_key

)

select * from final
