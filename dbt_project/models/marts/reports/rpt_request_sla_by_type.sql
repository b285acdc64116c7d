-- Per request type: how many met, missed or still wait on their deadline.
with

requests as (

    select * from {{ ref('privacy_request_sla') }}

),

counted as (

    select
        request_type,
        count(*) as requests,
        count(case when status = 'on_time' then 1 end) as on_time,
        count(case when status = 'late' then 1 end) as late,
        count(case when status = 'open' then 1 end) as open,
        count(case when status = 'overdue' then 1 end) as overdue,
        max(days_late) as most_days_late
    from requests
    group by request_type

),

final as (

    select
        request_type,
        {{ dbt.cast('requests', 'bigint') }} as requests,
        {{ dbt.cast('on_time', 'bigint') }} as on_time,
        {{ dbt.cast('late', 'bigint') }} as late,
        {{ dbt.cast('open', 'bigint') }} as open,
        {{ dbt.cast('overdue', 'bigint') }} as overdue,
        -- of the completed requests; null while none is completed
        round(
            100.0 * {{ dbt.cast('on_time', 'double') }} / nullif(on_time + late, 0), 1
        ) as on_time_percent,
        {{ dbt.cast('most_days_late', 'bigint') }} as most_days_late
    from counted

)

select * from final
