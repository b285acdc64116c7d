-- vendor.dpa_expired: a DPA that expired before the evaluation date (every vendor, receiving
-- data or not). Whether it expired is decided once, in int_vendors_enriched (`dpa_expired`):
-- `dpa_status` cannot say it for a vendor whose DPA is also missing.
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

final as (

    select
        vendor_key as vendor,
        cast(1 as bigint) as failing_count,
        {{ format_message('the DPA with {} expired on {}', [
            "vendor_key",
            dbt.cast('dpa_expires_on', dbt.type_string()),
        ]) }} as message
    from vendors
    where dpa_expired

)

select * from final
