-- Every audit check (the audit_checks seed) with its open findings now and its trend across runs.
with

audit_checks as (

    select * from {{ ref('audit_checks') }}

),

findings as (

    select * from {{ ref('findings') }}

),

check_trend as (

    select * from {{ ref('rpt_check_trend') }}

),

open_findings as (

    select
        check_name,
        count(*) as subjects,
        sum(failing_count) as failing_count
    from findings
    group by check_name

),

final as (

    select
        audit_checks.check_name,
        audit_checks.severity,
        audit_checks.description,
        audit_checks.subject_keys,
        {{ dbt.cast('coalesce(open_findings.subjects, 0)', 'bigint') }} as subjects,
        {{ dbt.cast('coalesce(open_findings.failing_count, 0)', 'bigint') }} as failing_count,
        open_findings.check_name is not null as is_failing,
        check_trend.trend
    from audit_checks
    left join open_findings
        on audit_checks.check_name = open_findings.check_name
    left join check_trend
        on audit_checks.check_name = check_trend.check_name

)

select * from final
