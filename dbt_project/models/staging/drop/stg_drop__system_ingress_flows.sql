with

source as (

    select * from {{ source('drop', 'system_ingress_flows') }}

),

renamed as (

    select
        nullif(lower(trim(system_key)), '') as system_key,
        nullif(lower(trim(source_key)), '') as source_key,
        nullif(lower(trim(flow_type)), '') as flow_type,
        nullif(lower(trim(data_category)), '') as data_category,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
