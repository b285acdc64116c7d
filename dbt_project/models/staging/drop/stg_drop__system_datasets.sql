with

source as (

    select * from {{ source('drop', 'system_datasets') }}

),

renamed as (

    select
        nullif(lower(trim(system_key)), '') as system_key,
        nullif(lower(trim(dataset_key)), '') as dataset_key,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
