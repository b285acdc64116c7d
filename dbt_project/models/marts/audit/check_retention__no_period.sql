-- retention.no_period: records under a customer_setting rule with neither the customer's
-- retention_days nor the rule's period. A record without a customer is reported as '(none)'.
with

retention_counts as (

    select * from {{ ref('int_retention_counts') }}

),

failing as (

    select
        system_key as system,
        rule_key as rule,
        coalesce(customer_key, '(none)') as customer,
        cast(sum(records_without_period) as bigint) as failing_count
    from retention_counts
    where rule_key is not null
    group by system_key, rule_key, coalesce(customer_key, '(none)')
    having sum(records_without_period) > 0

),

final as (

    select
        system,
        rule,
        customer,
        failing_count,
        {{ format_message('{:,} {} of customer {} under rule {} without a retention period', [
            "failing_count",
            "case when failing_count = 1 then 'record' else 'records' end",
            "customer",
            "rule",
        ]) }} as message
    from failing

)

select * from final
