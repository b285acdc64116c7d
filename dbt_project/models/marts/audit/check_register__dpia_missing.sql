-- register.dpia_missing: an activity with special-category data (audit_special_category_activities
-- decides), or of a system with uses_profiling, whose system does not have
-- requires_data_protection_assessments: true (count 1).
with

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

special_activities as (

    select * from {{ ref('audit_special_category_activities') }}

),

high_risk as (

    select
        activities.activity_key,
        activities.system_key,
        special_activities.activity_key is not null as is_special,
        systems.uses_profiling
    from activities
    inner join systems
        on activities.system_key = systems.system_key
    left join special_activities
        on activities.activity_key = special_activities.activity_key
    where
        not coalesce(systems.requires_data_protection_assessments, false)
        and (special_activities.activity_key is not null or systems.uses_profiling)

),

final as (

    select
        activity_key as activity,
        cast(1 as bigint) as failing_count,
        {{ format_message('activity {} {} but system {} does not require a DPIA', [
            "activity_key",
            "case when is_special and uses_profiling"
            ~ " then 'processes special-category data and its system uses profiling'"
            ~ " when is_special then 'processes special-category data'"
            ~ " else 'belongs to a system that uses profiling' end",
            "system_key",
        ]) }} as message
    from high_risk

)

select * from final
