-- register.lawful_basis_missing: an activity without an Art. 6 legal basis.
with

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

final as (

    select
        activity_key as activity,
        cast(1 as bigint) as failing_count,
        {{ format_message('activity {} declares no legal basis for processing', ["activity_key"]) }} as message
    from activities
    where nullif(trim(legal_basis_for_processing), '') is null

)

select * from final
