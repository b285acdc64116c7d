with

source as (

    select * from {{ source('drop', 'cookies') }}

),

renamed as (

    select
        nullif(trim(cookie_name), '') as cookie_name,
        nullif(lower(trim(domain)), '') as domain,
        nullif(lower(trim(vendor_key)), '') as vendor_key,
        nullif(lower(trim(purpose)), '') as purpose,
        duration_days,
        set_before_consent,
        _source_file,
        _source_line
    from source

),

final as (

    select * from renamed

)

select * from final
