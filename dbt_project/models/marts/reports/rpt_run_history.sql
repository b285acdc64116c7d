-- The runs the warehouse has kept (history.run_history), for the dashboard's trends. A run whose
-- pseudonym key differs from the run before it is marked: record hashes across it do not match.
-- A run that found nothing new (outcome 'unchanged') rebuilt nothing: its figures are the
-- published run's. Rows kept from before outcomes were recorded are runs that built.
with

run_history as (

    select * from {{ ref('run_history') }}

),

with_previous_key as (

    select
        *,
        lag(pseudonym_key_fingerprint) over (order by started_at nulls last, run_id) as previous_key_fingerprint
    from run_history

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
        findings_warn,
        pseudonym_key_fingerprint,
        coalesce(
            pseudonym_key_fingerprint <> previous_key_fingerprint, false
        ) as pseudonym_key_changed,
        coalesce(outcome, 'built') as outcome
    from with_previous_key

)

select * from final
