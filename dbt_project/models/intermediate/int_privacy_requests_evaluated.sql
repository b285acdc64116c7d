with

requests as (

    select * from {{ ref('stg_drop__privacy_requests') }}

),

policies as (

    select * from {{ ref('stg_drop__policies') }}

),

evaluation as (

    select {{ as_of_date() }} as as_of

),

dated as (

    select
        requests.request_id,
        requests.request_type,
        requests.data_subject,
        requests.customer_key,
        requests.channel,
        requests.outcome,
        requests.extended,
        {{ dbt.cast('requests.received_at', 'date') }} as received_on,
        {{ dbt.cast('requests.completed_at', 'date') }} as completed_on,
        policies.rights_request_days,
        policies.extension_days,
        policies.unsubscribe_business_days
    from requests
    -- exactly one row by contract; a left join keeps every row visible (and failing tests) if it is missing
    left join policies
        on 1 = 1

),

due as (

    select
        *,
        case
            when request_type = 'unsubscribe'
                then {{ business_days_after('received_on', 'unsubscribe_business_days') }}
            else {{ dbt.cast(
                dbt.dateadd('day',
                    'rights_request_days + case when extended then coalesce(extension_days, 0) else 0 end',
                    'received_on'),
                'date') }}
        end as due_on
    from dated

),

final as (

    select
        due.request_id,
        due.request_type,
        due.data_subject,
        due.customer_key,
        due.channel,
        due.outcome,
        due.received_on,
        due.completed_on,
        due.due_on,
        due.extended,
        case
            when due.completed_on is not null and due.completed_on <= due.due_on then 'on_time'
            when due.completed_on is not null then 'late'
            when evaluation.as_of > due.due_on then 'overdue'
            else 'open'
        end as status,
        case
            when due.completed_on > due.due_on
                then {{ dbt.datediff('due.due_on', 'due.completed_on', 'day') }}
            when due.completed_on is null and evaluation.as_of > due.due_on
                then {{ dbt.datediff('due.due_on', 'evaluation.as_of', 'day') }}
            else 0
        end as days_late,
        {{ dbt.concat([
            dbt.cast('extract(year from due.received_on)', dbt.type_string()),
            "'-'",
            "lpad(" ~ dbt.cast('extract(month from due.received_on)', dbt.type_string()) ~ ", 2, '0')",
        ]) }} as received_month
    from due
    cross join evaluation

)

select * from final
