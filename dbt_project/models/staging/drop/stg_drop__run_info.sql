with

source as (

    select * from {{ source('drop', 'run_info') }}

),

renamed as (

    select
        run_id,
        as_of,
        drop_fingerprint,
        started_at,
        pseudonym_key_fingerprint
    from source

),

final as (

    select * from renamed

)

select * from final
