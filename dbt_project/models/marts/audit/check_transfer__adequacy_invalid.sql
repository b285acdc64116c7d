-- transfer.adequacy_invalid: relying on adequacy for a third country with no decision at all
-- (int_vendors_enriched.is_safeguarded decides it).
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

final as (

    select
        vendor_key as vendor,
        cast(1 as bigint) as failing_count,
        {{ format_message('{} relies on adequacy for {}, which has no adequacy decision', [
            "vendor_key",
            "country",
        ]) }}
            as message
    from vendors
    where
        receives_data
        and transfer_mechanism = 'adequacy'
        and not is_safeguarded

)

select * from final
