with

source as (

    select * from {{ source('drop', 'system_processor_activities') }}

),

renamed as (

    select
        nullif(lower(trim(system_key)), '') as system_key,
        nullif(trim(entry), '') as entry,
        nullif(lower(trim(activity_key)), '') as activity_key,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
