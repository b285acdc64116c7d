-- policy.retention_exceeds_notice: a fixed rule period longer than the policy's promise for the
-- rule's data subject, compared by calendar arithmetic from the evaluation date
-- (months first, then days, as deadlines are computed).
{% set as_of = as_of_date() %}

with

retention_rules as (

    select * from {{ ref('stg_drop__retention_rules') }}

),

retention_limits as (

    select * from {{ ref('stg_drop__policy_retention_limits') }}

),

compared as (

    select
        retention_rules.rule_key,
        retention_rules.data_subject,
        retention_rules.period,
        retention_limits.max_period,
        {{ dbt.cast(dbt.dateadd('day', 'coalesce(retention_rules.period_days, 0)',
            dbt.dateadd('month', 'coalesce(retention_rules.period_months, 0)', as_of)), 'date') }}
            as rule_ends_on,
        {{ dbt.cast(dbt.dateadd('day', 'coalesce(retention_limits.max_period_days, 0)',
            dbt.dateadd('month', 'coalesce(retention_limits.max_period_months, 0)', as_of)), 'date') }}
            as promise_ends_on
    from retention_rules
    inner join retention_limits
        on retention_rules.data_subject = retention_limits.data_subject
    where
        retention_rules.period_source = 'fixed'
        and retention_rules.period is not null
        and retention_limits.max_period is not null

),

final as (

    select
        rule_key as rule,
        cast(1 as bigint) as failing_count,
        {{ format_message('rule {} keeps {} data for {}, longer than the {} the policy promises', [
            "rule_key",
            "data_subject",
            "period",
            "max_period",
        ]) }} as message
    from compared
    where rule_ends_on > promise_ends_on

)

select * from final
