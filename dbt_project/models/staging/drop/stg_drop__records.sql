with

source as (

    select * from {{ source('drop', 'records') }}

),

renamed as (

    select
        nullif(lower(trim(system_key)), '') as system_key,
        record_key,
        nullif(lower(trim(record_type)), '') as record_type,
        nullif(lower(trim(data_subject)), '') as data_subject,
        nullif(lower(trim(customer_key)), '') as customer_key,
        created_at,
        last_activity_at,
        closed_at,
        coalesce(legal_hold, false) as legal_hold,
        nullif(upper(trim(subject_country)), '') as subject_country,
        subject_age,
        _source_file,
        _source_line
    from source

),

final as (

    select * from renamed

)

select * from final
