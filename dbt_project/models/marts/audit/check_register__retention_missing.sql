-- register.retention_missing: a system that declares processing activities but has no
-- retention rule at all (count 1: the system is the failing item).
with

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

retention_rules as (

    select * from {{ ref('stg_drop__retention_rules') }}

),

systems_with_activities as (

    select distinct system_key from activities

),

failing as (

    select systems_with_activities.system_key as system
    from systems_with_activities
    where not exists (
        select 1 from retention_rules
        where retention_rules.system_key = systems_with_activities.system_key
    )

),

final as (

    select
        system,
        cast(1 as bigint) as failing_count,
        {{ format_message('system {} has processing activities but no retention rule', ["system"]) }} as message
    from failing

)

select * from final
