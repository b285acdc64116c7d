-- register.undeclared_system: a records/ folder whose system the register does not declare
-- (count = its records).
with

records as (

    select * from {{ ref('stg_drop__records') }}

),

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

failing as (

    select
        records.system_key as system,
        cast(count(*) as bigint) as failing_count
    from records
    where
        not exists (
            select 1 from systems
            where systems.system_key = records.system_key
        )
    group by records.system_key

),

final as (

    select
        system,
        failing_count,
        {{ format_message('{:,} {} in records/{}/, a system the register does not declare', [
            "failing_count",
            "case when failing_count = 1 then 'record' else 'records' end",
            "system",
        ]) }} as message
    from failing

)

select * from final
