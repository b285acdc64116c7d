with

source as (

    select * from {{ source('drop', 'customer_systems') }}

),

renamed as (

    select
        nullif(lower(trim(customer_key)), '') as customer_key,
        nullif(lower(trim(system_key)), '') as system_key
    from source

),

final as (

    select * from renamed

)

select * from final
