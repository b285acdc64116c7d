with

source as (

    select * from {{ source('drop', 'activity_datasets') }}

),

renamed as (

    select
        nullif(lower(trim(activity_key)), '') as activity_key,
        nullif(lower(trim(dataset_key)), '') as dataset_key,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
