-- policy.undisclosed_recipient: a vendor receiving data whose recipient category the policy
-- does not disclose.
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

disclosed as (

    select * from {{ ref('stg_drop__policy_disclosed_recipient_categories') }}

),

final as (

    select
        vendors.vendor_key as vendor,
        cast(1 as bigint) as failing_count,
        {{ format_message('{} receives data as {}, a recipient category the policy does not disclose', [
            "vendors.vendor_key",
            "vendors.recipient_category",
        ]) }} as message
    from vendors
    where
        vendors.receives_data
        and not exists (
            select 1 from disclosed
            where disclosed.recipient_category = vendors.recipient_category
        )

)

select * from final
