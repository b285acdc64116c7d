with

source as (

    select * from {{ source('drop', 'vendors') }}

),

renamed as (

    select
        nullif(lower(trim(vendor_key)), '') as vendor_key,
        nullif(trim(legal_name), '') as legal_name,
        nullif(lower(trim(recipient_category)), '') as recipient_category,
        nullif(lower(trim(role)), '') as role,
        nullif(upper(trim(country)), '') as country,
        nullif(lower(trim(transfer_mechanism)), '') as transfer_mechanism,
        dpa_signed_on,
        dpa_expires_on,
        tia_completed_on,
        nullif(trim(service_description), '') as service_description,
        nullif(trim(contact_email), '') as contact_email,
        _source_file,
        _source_line
    from source

),

final as (

    select * from renamed

)

select * from final
