-- Open findings per severity: how many failing subjects and how many failing items in all.
with

findings as (

    select * from {{ ref('findings') }}

),

final as (

    select
        severity,
        {{ dbt.cast('count(*)', 'bigint') }} as findings,
        {{ dbt.cast('sum(failing_count)', 'bigint') }} as failing
    from findings
    group by severity

)

select * from final
