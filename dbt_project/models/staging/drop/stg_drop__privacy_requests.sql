with

source as (

    select * from {{ source('drop', 'privacy_requests') }}

),

renamed as (

    select
        nullif(trim(request_id), '') as request_id,
        nullif(lower(trim(request_type)), '') as request_type,
        nullif(lower(trim(data_subject)), '') as data_subject,
        nullif(lower(trim(customer_key)), '') as customer_key,
        received_at,
        completed_at,
        coalesce(extended, false) as extended,
        nullif(lower(trim(outcome)), '') as outcome,
        nullif(lower(trim(channel)), '') as channel,
        _source_file,
        _source_line
    from source

),

final as (

    select * from renamed

)

select * from final
