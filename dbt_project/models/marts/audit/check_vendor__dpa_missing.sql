-- vendor.dpa_missing: a processor or sub-processor that receives data without a signed DPA
-- (Art. 28). The DPA status is decided once, in int_vendors_enriched (`dpa_status`).
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

final as (

    select
        vendor_key as vendor,
        cast(1 as bigint) as failing_count,
        {{ format_message('{} ({}) receives personal data without a signed DPA', [
            "vendor_key",
            "role",
        ]) }} as message
    from vendors
    where dpa_status = 'missing'

)

select * from final
