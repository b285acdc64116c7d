-- register.special_category_without_condition: special-category data without an Art. 9 condition.
with

special_activities as (

    select * from {{ ref('audit_special_category_activities') }}

),

final as (

    select
        activity_key as activity,
        cast(1 as bigint) as failing_count,
        {{ format_message('activity {} processes special-category data ({}) without an Art. 9 condition', [
            "activity_key",
            "coalesce(special_categories, 'declared')",
        ]) }} as message
    from special_activities
    where nullif(trim(special_category_legal_basis), '') is null

)

select * from final
