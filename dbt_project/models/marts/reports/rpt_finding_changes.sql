-- Findings that appeared (`new`), disappeared (`resolved`) or changed count (`worse`, `better`)
-- between the last two runs of the history. Empty while the history holds a single run.
with

run_history as (

    select * from {{ ref('run_history') }}

),

finding_history as (

    select * from {{ ref('finding_history') }}

),

runs as (

    select
        run_id,
        row_number() over (order by started_at desc nulls last, run_id desc) as recency
    from run_history

),

latest as (

    select finding_history.*
    from finding_history
    inner join runs
        on finding_history.run_id = runs.run_id
    where runs.recency = 1

),

previous as (

    select finding_history.*
    from finding_history
    inner join runs
        on finding_history.run_id = runs.run_id
    where runs.recency = 2

),

compared as (

    select
        coalesce(latest.check_name, previous.check_name) as check_name,
        coalesce(latest.severity, previous.severity) as severity,
        coalesce(latest.subject_json, previous.subject_json) as subject,
        previous.failing_count as previous_count,
        latest.failing_count as latest_count,
        case
            when previous.check_name is null then 'new'
            when latest.check_name is null then 'resolved'
            when latest.failing_count > previous.failing_count then 'worse'
            else 'better'
        end as change  -- noqa: RF04
    from latest
    full outer join previous
        on
            latest.check_name = previous.check_name
            and latest.subject_json = previous.subject_json
    where latest.failing_count is distinct from previous.failing_count

),

-- with a single run there is nothing to compare with: no finding is `new`
history_depth as (

    select count(*) > 0 as has_previous_run
    from runs
    where recency = 2

),

final as (

    select
        compared.check_name,
        compared.severity,
        compared.subject,
        {{ dbt.cast('compared.previous_count', 'bigint') }} as previous_count,
        {{ dbt.cast('compared.latest_count', 'bigint') }} as latest_count,
        compared.change
    from compared
    cross join history_depth
    where history_depth.has_previous_run

)

select * from final
