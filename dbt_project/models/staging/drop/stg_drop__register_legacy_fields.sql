with

source as (

    select * from {{ source('drop', 'register_legacy_fields') }}

),

renamed as (

    select
        nullif(lower(trim(resource_type)), '') as resource_type,
        nullif(lower(trim(resource_key)), '') as resource_key,
        nullif(trim(field_name), '') as field_name,
        nullif(trim(read_as), '') as read_as,
        nullif(trim(legacy_value), '') as legacy_value,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
