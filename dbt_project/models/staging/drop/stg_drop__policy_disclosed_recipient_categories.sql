with

source as (

    select * from {{ source('drop', 'policy_disclosed_recipient_categories') }}

),

renamed as (

    select nullif(lower(trim(recipient_category)), '') as recipient_category
    from source

),

final as (

    select * from renamed

)

select * from final
