with

requests as (

    select * from {{ ref('int_privacy_requests_evaluated') }}

),

final as (

    select
        request_id,
        request_type,
        data_subject,
        customer_key,
        channel,
        outcome,
        received_on,
        completed_on,
        due_on,
        extended,
        status,
        days_late,
        received_month
    from requests

)

select * from final
