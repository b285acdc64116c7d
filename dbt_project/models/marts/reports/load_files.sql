-- One row per input file of the load: format, hash, size and what it gave.
with

load_audit as (

    select * from {{ ref('stg_drop__load_audit') }}

),

final as (

    select
        source_file,
        file_format,
        sha256,
        size_bytes,
        rows_read,
        rows_loaded,
        rows_rejected,
        loaded_at
    from load_audit

)

select * from final
