-- register.controller_missing: the organization names no controller (Art. 30(1)(a)); count 1.
-- The organization still loads without one (exports.md), so this check is where it shows.
with

organizations as (

    select * from {{ ref('stg_drop__organizations') }}

),

final as (

    select
        organization_key as organization,
        cast(1 as bigint) as failing_count,
        {{ format_message('organization {} names no controller: the record lacks the Art. 30(1)(a) contact', [
            "organization_key",
        ]) }} as message
    from organizations
    where controller_name is null

)

select * from final
