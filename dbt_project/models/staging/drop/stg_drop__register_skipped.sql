with

source as (

    select * from {{ source('drop', 'register_skipped') }}

),

renamed as (

    select
        nullif(trim(resource_type), '') as resource_type,
        resources,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
