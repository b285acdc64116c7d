with

source as (

    select * from {{ source('drop', 'activity_data_categories') }}

),

renamed as (

    select
        nullif(lower(trim(activity_key)), '') as activity_key,
        nullif(lower(trim(data_category)), '') as data_category
    from source

),

final as (

    select * from renamed

)

select * from final
