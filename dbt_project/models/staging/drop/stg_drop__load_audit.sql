with

source as (

    select * from {{ source('drop', 'load_audit') }}

),

renamed as (

    select
        source_file,
        nullif(lower(trim(file_format)), '') as file_format,
        nullif(lower(trim(sha256)), '') as sha256,
        size_bytes,
        rows_read,
        rows_loaded,
        rows_rejected,
        loaded_at
    from source

),

final as (

    select * from renamed

)

select * from final
