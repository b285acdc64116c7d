-- retention.overdue: one row per (system, rule) with records past their deadline.
-- The deadline and legal-hold logic lives in int_retention_counts; this only sums it.
with

retention_counts as (

    select * from {{ ref('int_retention_counts') }}

),

failing as (

    select
        system_key as system,
        rule_key as rule,
        cast(sum(records_overdue) as bigint) as failing_count
    from retention_counts
    where rule_key is not null
    group by system_key, rule_key
    having sum(records_overdue) > 0

),

final as (

    select
        system,
        rule,
        failing_count,
        {{ format_message('{:,} {} of {} past the deadline of rule {}', [
            "failing_count",
            "case when failing_count = 1 then 'record' else 'records' end",
            "system",
            "rule",
        ]) }} as message
    from failing

)

select * from final
