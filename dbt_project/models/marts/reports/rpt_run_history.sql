-- The runs the warehouse has kept (history.run_history), for the dashboard's trends.
with

run_history as (

    select * from {{ ref('run_history') }}

),

final as (

    select
        run_id,
        as_of,
        started_at,
        drop_fingerprint,
        records_loaded,
        rows_rejected,
        findings_error,
        findings_warn
    from run_history

)

select * from final
