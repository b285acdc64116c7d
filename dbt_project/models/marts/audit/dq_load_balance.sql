-- Load accounting, one row per tabular input file: every row read is either loaded or rejected,
-- and the rejected rows are exactly the lines listed in rejects. A mismatch means the loader
-- lost rows, so the Dagster check on this table blocks publishing.
with

load_audit as (

    select * from {{ ref('stg_drop__load_audit') }}

),

rejects as (

    select * from {{ ref('stg_drop__rejects') }}

),

rejected_lines as (

    select
        source_file,
        cast(count(distinct line) as bigint) as rejected_lines
    from rejects
    group by source_file

),

final as (

    select
        load_audit.source_file,
        cast(load_audit.rows_read as bigint) as rows_read,
        cast(load_audit.rows_loaded + load_audit.rows_rejected as bigint) as rows_accounted,
        cast(load_audit.rows_rejected as bigint) as rows_rejected,
        coalesce(rejected_lines.rejected_lines, 0) as rejected_lines
    from load_audit
    left join rejected_lines
        on load_audit.source_file = rejected_lines.source_file
    where load_audit.rows_read is not null

)

select * from final
