-- One row per rejected cell of the load (a record id is never shown).
with

rejects as (

    select * from {{ ref('stg_drop__rejects') }}

),

final as (

    select
        source_file,
        line,
        column_name,
        value,
        reason
    from rejects

)

select * from final
