-- records.child: records of subjects younger than the policy's minimum age, by system.
with

records as (

    select * from {{ ref('stg_drop__records') }}

),

policies as (

    select * from {{ ref('stg_drop__policies') }}

),

failing as (

    select
        records.system_key as system,
        cast(count(*) as bigint) as failing_count,
        min(policies.minimum_age) as minimum_age
    from records
    inner join policies
        on records.subject_age < policies.minimum_age
    group by records.system_key

),

final as (

    select
        system,
        failing_count,
        {{ format_message('{:,} {} of {} about subjects under {}', [
            "failing_count",
            "case when failing_count = 1 then 'record' else 'records' end",
            "system",
            "minimum_age",
        ]) }} as message
    from failing

)

select * from final
