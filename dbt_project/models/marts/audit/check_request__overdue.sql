-- request.overdue: requests still open after their due date, by type (status from
-- int_privacy_requests_evaluated, evaluated on var('as_of')).
with

requests as (

    select * from {{ ref('int_privacy_requests_evaluated') }}

),

failing as (

    select
        request_type,
        cast(count(*) as bigint) as failing_count
    from requests
    where status = 'overdue'
    group by request_type

),

final as (

    select
        request_type,
        failing_count,
        format(
            '{:,} {} {} still open after the due date',
            failing_count, request_type, case when failing_count = 1 then 'request' else 'requests' end
        ) as message
    from failing

)

select * from final
