with

flows as (

    select * from {{ ref('int_egress_flows_joined_to_recipients') }}

),

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

third_country_flows as (

    select distinct
        flows.system_key,
        flows.system_name,
        flows.recipient_key as vendor_key,
        coalesce(flows.category_name, flows.data_category) as category_name
    from flows
    inner join vendors
        on flows.recipient_key = vendors.vendor_key
    where vendors.is_third_country

),

category_lists as (

    select
        system_key,
        vendor_key,
        {{ dbt.listagg('category_name', "'; '", 'order by category_name') }} as data_categories
    from third_country_flows
    where category_name is not null
    group by system_key, vendor_key

),

pairs as (

    select distinct
        system_key,
        system_name,
        vendor_key
    from third_country_flows

),

final as (

    select
        pairs.system_key || '→' || pairs.vendor_key as transfer_key,
        pairs.system_key,
        pairs.vendor_key,
        vendors.legal_name as vendor_name,
        vendors.country,
        vendors.country_name,
        vendors.adequacy_scope,
        vendors.adequacy_decided_on,
        vendors.transfer_mechanism,
        vendors.safeguard,
        vendors.is_safeguarded,
        vendors.tia_completed_on,
        category_lists.data_categories,
        coalesce(pairs.system_name, pairs.system_key) as system_name,
        vendors.country_name || ' (' || vendors.country || ')' as country_label
    from pairs
    inner join vendors
        on pairs.vendor_key = vendors.vendor_key
    left join category_lists
        on
            pairs.system_key = category_lists.system_key
            and pairs.vendor_key = category_lists.vendor_key

)

select * from final
