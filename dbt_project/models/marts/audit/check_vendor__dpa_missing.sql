-- vendor.dpa_missing: a processor or sub-processor that receives data without a signed DPA
-- (Art. 28). "Receives data" is decided once, in int_vendors_enriched.
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

final as (

    select
        vendor_key as vendor,
        cast(1 as bigint) as failing_count,
        format('{} ({}) receives personal data without a signed DPA', vendor_key, role) as message
    from vendors
    where
        role in ('processor', 'sub_processor')
        and receives_data
        and dpa_signed_on is null

)

select * from final
