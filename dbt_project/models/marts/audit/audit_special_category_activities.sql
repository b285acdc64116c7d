-- The one place that decides whether an activity processes special-category data (Art. 9):
-- declared by the flag, or a declared category equal to or under one of checks.md's prefixes.
{{ config(materialized='view') }}

with

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

activity_categories as (

    select * from {{ ref('stg_drop__activity_data_categories') }}

),

special_prefixes as (

    select 'user.health_and_medical' as category_prefix
    union all
    select 'user.biometric' as category_prefix
    union all
    select 'user.demographic.race_ethnicity' as category_prefix
    union all
    select 'user.demographic.political_opinion' as category_prefix
    union all
    select 'user.demographic.religious_belief' as category_prefix
    union all
    select 'user.demographic.sexual_orientation' as category_prefix
    union all
    select 'user.criminal_history' as category_prefix

),

special_categories as (

    select distinct
        activity_categories.activity_key,
        activity_categories.data_category
    from activity_categories
    inner join special_prefixes
        on
            activity_categories.data_category = special_prefixes.category_prefix
            or {{ text_starts_with(
                'activity_categories.data_category', "special_prefixes.category_prefix || '.'"
            ) }}

),

final as (

    select
        activities.activity_key,
        activities.special_category_legal_basis,
        coalesce(activities.processes_special_category_data, false) as declared_special,
        {{ dbt.listagg(
            'special_categories.data_category', "'; '", 'order by special_categories.data_category'
        ) }} as special_categories
    from activities
    left join special_categories
        on activities.activity_key = special_categories.activity_key
    where
        coalesce(activities.processes_special_category_data, false)
        or special_categories.activity_key is not null
    group by
        activities.activity_key,
        activities.special_category_legal_basis,
        coalesce(activities.processes_special_category_data, false)

)

select * from final
