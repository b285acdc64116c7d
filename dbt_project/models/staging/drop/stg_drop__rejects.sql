with

source as (

    select * from {{ source('drop', 'rejects') }}

),

renamed as (

    select
        source_file,
        line,
        column_name,
        value,
        reason
    from source

),

final as (

    select * from renamed

)

select * from final
