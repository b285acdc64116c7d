-- transfer.no_safeguard: a third-country recipient with no transfer mechanism where the country
-- has no full adequacy decision. Which transfers are safeguarded is decided once, in
-- int_vendors_enriched.is_safeguarded.
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

final as (

    select
        vendor_key as vendor,
        cast(1 as bigint) as failing_count,
        {{ format_message('{} receives data in {} (outside the EEA) with no transfer safeguard', [
            "vendor_key",
            "country",
        ]) }}
            as message
    from vendors
    where
        receives_data
        and transfer_mechanism is null
        and not is_safeguarded

)

select * from final
