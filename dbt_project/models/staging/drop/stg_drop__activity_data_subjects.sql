with

source as (

    select * from {{ source('drop', 'activity_data_subjects') }}

),

renamed as (

    select
        nullif(lower(trim(activity_key)), '') as activity_key,
        nullif(lower(trim(data_subject)), '') as data_subject
    from source

),

final as (

    select * from renamed

)

select * from final
