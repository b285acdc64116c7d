-- Every finding of every run, kept across runs (the loader copies schema history into each new
-- build file). A rerun of the same run id replaces that run's rows.
{{ config(history_config()) }}

with

findings as (

    select * from {{ ref('findings') }}

),

final as (

    select
        {{ dbt.cast(quoted_text(run_info_value('run_id')), dbt.type_string()) }} as run_id,
        {{ as_of_date() }} as as_of,
        check_name,
        severity,
        subject_json,
        failing_count
    from findings

)

select * from final
