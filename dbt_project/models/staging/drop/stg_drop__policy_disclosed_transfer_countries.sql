with

source as (

    select * from {{ source('drop', 'policy_disclosed_transfer_countries') }}

),

renamed as (

    select nullif(upper(trim(country)), '') as country
    from source

),

final as (

    select * from renamed

)

select * from final
