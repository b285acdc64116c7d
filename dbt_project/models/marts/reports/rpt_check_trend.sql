-- Every audit check's failing count in each run of the history, oldest run first (0 in a run
-- where it did not fail). One element while the history holds a single run.
with

audit_checks as (

    select * from {{ ref('audit_checks') }}

),

run_history as (

    select * from {{ ref('run_history') }}

),

finding_history as (

    select * from {{ ref('finding_history') }}

),

per_run as (

    select
        run_id,
        check_name,
        sum(failing_count) as failing_count
    from finding_history
    group by run_id, check_name

),

check_runs as (

    select
        audit_checks.check_name,
        run_history.run_id,
        run_history.started_at,
        {{ dbt.cast('coalesce(per_run.failing_count, 0)', 'bigint') }} as failing_count
    from audit_checks
    cross join run_history
    left join per_run
        on
            run_history.run_id = per_run.run_id
            and audit_checks.check_name = per_run.check_name

),

final as (

    select
        check_name,
        {{ dbt.cast('count(*)', 'bigint') }} as runs,
        {{ ordered_array_agg('failing_count', ['started_at', 'run_id']) }} as trend
    from check_runs
    group by check_name

)

select * from final
