-- Rejected rows and cells per input file, column and reason.
with

rejected_cells as (

    select * from {{ ref('rejected_cells') }}

),

final as (

    select
        source_file,
        column_name,
        reason,
        {{ dbt.cast('count(distinct line)', 'bigint') }} as rows_rejected,
        {{ dbt.cast('count(*)', 'bigint') }} as cells
    from rejected_cells
    group by source_file, column_name, reason

)

select * from final
