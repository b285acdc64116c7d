-- policy.undisclosed_transfer: a third country (outside the EEA, adequacy decision or not) that
-- a vendor receiving data is in, and that the policy's disclosed_transfer_countries does not
-- name; count = such vendors. "Receives data" and "third country" are decided once, in
-- int_vendors_enriched.
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

disclosed as (

    select * from {{ ref('stg_drop__policy_disclosed_transfer_countries') }}

),

failing as (

    select
        vendors.country,
        min(vendors.country_name) as country_name,
        cast(count(*) as bigint) as failing_count
    from vendors
    where
        vendors.receives_data
        and vendors.is_third_country
        and not exists (
            select 1 from disclosed
            where disclosed.country = vendors.country
        )
    group by vendors.country

),

final as (

    select
        country,
        failing_count,
        {{ format_message('{:,} {} data in {} ({}), a third country the policy does not disclose', [
            "failing_count",
            "case when failing_count = 1 then 'vendor receives' else 'vendors receive' end",
            "country_name",
            "country",
        ]) }} as message
    from failing

)

select * from final
