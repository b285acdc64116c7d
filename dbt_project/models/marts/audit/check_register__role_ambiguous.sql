-- register.role_ambiguous: a system that is both Controller and Processor without
-- `meta.processor_activities`, so every activity is in both records (count = its activities).
-- An empty list is a statement (no activity is done for customers), not ambiguity; a system
-- without activities has nothing in either record and does not fail.
with

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

activity_counts as (

    select
        system_key,
        count(*) as activities
    from activities
    group by system_key

),

final as (

    select
        systems.system_key as system,
        cast(activity_counts.activities as bigint) as failing_count,
        {{ format_message(
            'system {} is both Controller and Processor without meta.processor_activities: '
            ~ 'its {} activities are in both records',
            ["systems.system_key", "activity_counts.activities"],
        ) }} as message
    from systems
    inner join activity_counts
        on systems.system_key = activity_counts.system_key
    where
        systems.is_controller
        and systems.is_processor
        and not systems.processor_activities_declared

)

select * from final
