-- policy.special_category_contradiction: the policy says no special-category data, yet the
-- activity processes some.
with

special_activities as (

    select * from {{ ref('audit_special_category_activities') }}

),

policies as (

    select * from {{ ref('stg_drop__policies') }}

),

final as (

    select
        special_activities.activity_key as activity,
        cast(1 as bigint) as failing_count,
        {{ format_message('the policy says no special-category data, but activity {} processes some ({})', [
            "special_activities.activity_key",
            "coalesce(special_activities.special_categories, 'declared')",
        ]) }} as message
    from special_activities
    inner join policies
        on not policies.processes_special_category_data

)

select * from final
