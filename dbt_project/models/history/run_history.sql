-- One row per run: what was loaded and how many findings of each severity it produced.
-- A rerun of the same run id replaces its row. A column added by a release (the key fingerprint)
-- is added to the kept table; the rows of earlier runs hold null there. A run that found nothing
-- new adds its row without dbt (pipelines/lib/unchanged_run.py), outcome 'unchanged'.
{{ config(history_config()) }}
{{ config(on_schema_change='append_new_columns') }}

with

run_info as (

    select * from {{ ref('stg_drop__run_info') }}

),

records as (

    select * from {{ ref('stg_drop__records') }}

),

load_audit as (

    select * from {{ ref('stg_drop__load_audit') }}

),

findings as (

    select * from {{ ref('findings') }}

),

record_totals as (

    select cast(count(*) as bigint) as records_loaded from records

),

load_totals as (

    select cast(coalesce(sum(rows_rejected), 0) as bigint) as rows_rejected from load_audit

),

finding_totals as (

    select
        cast(count(case when severity = 'error' then 1 end) as bigint) as findings_error,
        cast(count(case when severity = 'warn' then 1 end) as bigint) as findings_warn
    from findings

),

final as (

    select
        {{ dbt.cast(quoted_text(run_info_value('run_id')), dbt.type_string()) }} as run_id,
        {{ as_of_date() }} as as_of,
        run_info.drop_fingerprint,
        run_info.started_at,
        run_info.pseudonym_key_fingerprint,
        record_totals.records_loaded,
        load_totals.rows_rejected,
        finding_totals.findings_error,
        finding_totals.findings_warn,
        {{ dbt.cast("'built'", dbt.type_string()) }} as outcome
    from run_info
    cross join record_totals
    cross join load_totals
    cross join finding_totals

)

select * from final
