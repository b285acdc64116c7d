{{ config(materialized='table') }}

with

evaluated as (

    select * from {{ ref('int_records_evaluated_against_rules') }}

),

final as (

    select
        system_key,
        record_type,
        customer_key,
        rule_key,
        count(*) as records,
        count(case when deadline_on is null then 1 end) as records_no_deadline,
        count(case when rule_key is not null and not has_period then 1 end) as records_without_period,
        count(case when legal_hold then 1 end) as records_on_legal_hold,
        count(case when legal_hold and days_to_deadline < 0 then 1 end) as records_on_hold_past_deadline,
        count(case when is_overdue then 1 end) as records_overdue,
        count(case when not legal_hold and days_to_deadline between 0 and 30 then 1 end)
            as records_due_within_30_days,
        count(case when not legal_hold and days_to_deadline between 0 and 90 then 1 end)
            as records_due_within_90_days,
        count(case when days_overdue between 1 and 30 then 1 end) as overdue_0_30_days,
        count(case when days_overdue between 31 and 90 then 1 end) as overdue_31_90_days,
        count(case when days_overdue between 91 and 365 then 1 end) as overdue_91_365_days,
        count(case when days_overdue > 365 then 1 end) as overdue_over_365_days,
        min(case when not legal_hold and days_to_deadline >= 0 then deadline_on end) as next_deadline_on
    from evaluated
    group by
        system_key,
        record_type,
        customer_key,
        rule_key

)

select * from final
