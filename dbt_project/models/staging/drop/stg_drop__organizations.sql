with

source as (

    select * from {{ source('drop', 'organizations') }}

),

renamed as (

    select
        nullif(lower(trim(organization_key)), '') as organization_key,
        nullif(trim(name), '') as name,
        nullif(trim(description), '') as description,
        nullif(trim(controller_name), '') as controller_name,
        nullif(trim(controller_address), '') as controller_address,
        nullif(trim(controller_email), '') as controller_email,
        nullif(trim(controller_phone), '') as controller_phone,
        nullif(trim(dpo_name), '') as dpo_name,
        nullif(trim(dpo_address), '') as dpo_address,
        nullif(trim(dpo_email), '') as dpo_email,
        nullif(trim(dpo_phone), '') as dpo_phone,
        nullif(trim(representative_name), '') as representative_name,
        nullif(trim(representative_address), '') as representative_address,
        nullif(trim(representative_email), '') as representative_email,
        nullif(trim(representative_phone), '') as representative_phone,
        nullif(trim(security_policy), '') as security_policy,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
