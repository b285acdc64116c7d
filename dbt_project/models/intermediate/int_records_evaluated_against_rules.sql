with

records as (

    select * from {{ ref('stg_drop__records') }}

),

rules as (

    select * from {{ ref('stg_drop__retention_rules') }}

),

customers as (

    select * from {{ ref('stg_drop__customers') }}

),

evaluation as (

    select {{ as_of_date() }} as as_of

),

-- a rule for the record's own record_type wins over the system's `*` rule
matched as (

    select
        records.record_key,
        records.system_key,
        records.record_type,
        records.data_subject,
        records.customer_key,
        records.created_at,
        records.last_activity_at,
        records.closed_at,
        records.legal_hold,
        coalesce(specific_rule.rule_key, any_rule.rule_key) as rule_key
    from records
    left join rules as specific_rule
        on
            records.system_key = specific_rule.system_key
            and records.record_type = specific_rule.record_type
    left join rules as any_rule
        on
            records.system_key = any_rule.system_key
            and any_rule.record_type = '*'

),

anchored as (

    select
        matched.*,
        rules.period_source,
        rules.period_months as rule_period_months,
        rules.period_days as rule_period_days,
        rules.period is not null as rule_has_period,
        customers.retention_days as customer_retention_days,
        -- the first non-null anchor column, in the rule's order
        coalesce(
            case rules.anchor_1
                when 'created_at' then matched.created_at
                when 'last_activity_at' then matched.last_activity_at
                when 'closed_at' then matched.closed_at
            end,
            case rules.anchor_2
                when 'created_at' then matched.created_at
                when 'last_activity_at' then matched.last_activity_at
                when 'closed_at' then matched.closed_at
            end,
            case rules.anchor_3
                when 'created_at' then matched.created_at
                when 'last_activity_at' then matched.last_activity_at
                when 'closed_at' then matched.closed_at
            end
        ) as anchor_at
    from matched
    left join rules
        on matched.rule_key = rules.rule_key
    left join customers
        on matched.customer_key = customers.customer_key

),

periods as (

    select
        *,
        case
            when rule_key is null then null
            when period_source = 'customer_setting' and customer_retention_days is not null then 0
            when rule_has_period then coalesce(rule_period_months, 0)
        end as period_months,
        case
            when rule_key is null then null
            when period_source = 'customer_setting' and customer_retention_days is not null
                then customer_retention_days
            when rule_has_period then coalesce(rule_period_days, 0)
        end as period_days
    from anchored

),

deadlines as (

    select
        *,
        period_months is not null as has_period,
        case
            when period_months is not null and anchor_at is not null
                then {{ dbt.cast(
                    dbt.dateadd('day', 'period_days',
                        dbt.dateadd('month', 'period_months', dbt.cast('anchor_at', 'date'))),
                    'date') }}
        end as deadline_on
    from periods

),

final as (

    select
        deadlines.record_key,
        deadlines.system_key,
        deadlines.record_type,
        deadlines.data_subject,
        deadlines.customer_key,
        deadlines.rule_key,
        deadlines.period_source,
        deadlines.has_period,
        deadlines.period_months,
        deadlines.period_days,
        {{ dbt.cast('deadlines.anchor_at', 'date') }} as anchor_on,
        deadlines.deadline_on,
        deadlines.legal_hold,
        coalesce(
            deadlines.deadline_on < evaluation.as_of and not deadlines.legal_hold, false
        ) as is_overdue,
        case
            when deadlines.deadline_on < evaluation.as_of and not deadlines.legal_hold
                then {{ dbt.datediff('deadlines.deadline_on', 'evaluation.as_of', 'day') }}
        end as days_overdue,
        -- noqa: disable=LT05
        {{ dbt.datediff('evaluation.as_of', 'deadlines.deadline_on', 'day') }} as days_to_deadline
        -- noqa: enable=LT05
    from deadlines
    cross join evaluation

)

select * from final
