-- request.late: requests completed after their due date, by type. Due dates and status are
-- decided once, in int_privacy_requests_evaluated.
with

requests as (

    select * from {{ ref('int_privacy_requests_evaluated') }}

),

failing as (

    select
        request_type,
        cast(count(*) as bigint) as failing_count
    from requests
    where status = 'late'
    group by request_type

),

final as (

    select
        request_type,
        failing_count,
        format(
            '{:,} {} {} completed after the due date',
            failing_count, request_type, case when failing_count = 1 then 'request' else 'requests' end
        ) as message
    from failing

)

select * from final
