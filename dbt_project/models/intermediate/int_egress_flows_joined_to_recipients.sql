with

flows as (

    select * from {{ ref('stg_drop__system_egress_flows') }}

),

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

terms as (

    select * from {{ ref('int_taxonomy_terms_unioned') }}
    where taxonomy_type = 'data_category'

),

final as (

    select
        flows.system_key,
        flows.recipient_key,
        flows.data_category,
        flows.flow_type,
        source_system.name as system_name,
        terms.name as category_name,
        case
            when vendors.vendor_key is not null then 'vendor'
            when target_system.system_key is not null then 'system'
            else 'unknown'
        end as recipient_kind,
        coalesce(vendors.legal_name, target_system.name, flows.recipient_key) as recipient_name,
        case
            when vendors.vendor_key is not null then vendors.recipient_category
            when target_system.system_key is not null then 'internal_system'
        end as recipient_category,
        vendors.role as vendor_role,
        vendors.country,
        vendors.country_name,
        coalesce(vendors.in_eea, target_system.system_key is not null) as in_eea,
        coalesce(vendors.is_third_country, false) as is_third_country,
        flows._source_file
    from flows
    left join systems as source_system
        on flows.system_key = source_system.system_key
    left join vendors
        on flows.recipient_key = vendors.vendor_key
    left join systems as target_system
        on flows.recipient_key = target_system.system_key
    left join terms
        on flows.data_category = terms.taxonomy_key

)

select * from final
