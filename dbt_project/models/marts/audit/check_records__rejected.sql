-- records.rejected: rows rejected at load, by file; a row with several bad cells counts once.
with

rejects as (

    select * from {{ ref('stg_drop__rejects') }}

),

failing as (

    select
        source_file as file,
        cast(count(distinct line) as bigint) as failing_count
    from rejects
    group by source_file

),

final as (

    select
        file,
        failing_count,
        {{ format_message('{:,} {} of {} rejected at load', [
            "failing_count",
            "case when failing_count = 1 then 'row' else 'rows' end",
            "file",
        ]) }} as message
    from failing

)

select * from final
