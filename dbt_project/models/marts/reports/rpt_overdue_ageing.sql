-- Overdue records per system and age bucket (how long past the deadline), buckets with records
-- only. The buckets are int_retention_counts' overdue_* columns.
with

retention_schedule as (

    select * from {{ ref('retention_schedule') }}

),

per_system as (

    select
        system_key,
        sum(overdue_0_30_days) as overdue_0_30_days,
        sum(overdue_31_90_days) as overdue_31_90_days,
        sum(overdue_91_365_days) as overdue_91_365_days,
        sum(overdue_over_365_days) as overdue_over_365_days
    from retention_schedule
    group by system_key

),

buckets as (

    select
        system_key,
        '1–30 days' as age,
        1 as age_order,
        overdue_0_30_days as records
    from per_system
    union all
    select
        system_key,
        '31–90 days' as age,
        2 as age_order,
        overdue_31_90_days as records
    from per_system
    union all
    select
        system_key,
        '91–365 days' as age,
        3 as age_order,
        overdue_91_365_days as records
    from per_system
    union all
    select
        system_key,
        'over a year' as age,
        4 as age_order,
        overdue_over_365_days as records
    from per_system

),

final as (

    select
        system_key,
        age,
        {{ dbt.cast('age_order', 'integer') }} as age_order,
        {{ dbt.cast('records', 'bigint') }} as records
    from buckets
    where records > 0

)

select * from final
