-- drop.unread_file: a file below records/<system_key>/ that is not CSV, JSON Lines or Parquet.
-- The loader reads no such file and keeps it in load_audit with null row counts.
with

load_audit as (

    select * from {{ ref('stg_drop__load_audit') }}

),

failing as (

    select
        source_file as file,
        cast(1 as bigint) as failing_count
    from load_audit
    where
        {{ text_starts_with('source_file', "'records/'") }}
        and rows_read is null

),

final as (

    select
        file,
        failing_count,
        {{ format_message('{} was not read: not CSV, JSON Lines or Parquet', ["file"]) }} as message
    from failing

)

select * from final
