with

source as (

    select * from {{ source('drop', 'dataset_fields') }}

),

renamed as (

    select
        nullif(lower(trim(dataset_key)), '') as dataset_key,
        nullif(trim(collection_name), '') as collection_name,
        nullif(trim(field_path), '') as field_path,
        nullif(lower(trim(data_category)), '') as data_category,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
