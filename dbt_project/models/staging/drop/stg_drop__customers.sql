with

source as (

    select * from {{ source('drop', 'customers') }}

),

renamed as (

    select
        nullif(lower(trim(customer_key)), '') as customer_key,
        nullif(trim(legal_name), '') as legal_name,
        nullif(upper(trim(country)), '') as country,
        nullif(trim(contact_email), '') as contact_email,
        nullif(trim(systems), '') as systems,
        dpa_signed_on,
        retention_days,
        nullif(lower(trim(status)), '') as status,
        terminated_on,
        _source_file,
        _source_line
    from source

),

final as (

    select * from renamed

)

select * from final
