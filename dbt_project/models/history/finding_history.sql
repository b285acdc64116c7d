-- Every finding of every run, kept across runs (the loader copies schema history into each new
-- build file). A rerun of the same run id replaces that run's rows.
{{ config(unique_key='run_id', incremental_strategy='delete+insert') }}

with

findings as (

    select * from {{ ref('findings') }}

),

final as (

    select
        cast('{{ var("run_id") }}' as varchar) as run_id,
        {{ as_of_date() }} as as_of,
        check_name,
        severity,
        subject_json,
        failing_count
    from findings

)

select * from final
