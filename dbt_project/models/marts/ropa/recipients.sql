with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

flows as (

    select * from {{ ref('int_egress_flows_joined_to_recipients') }}

),

activities as (

    select * from {{ ref('int_activities_described') }}

),

category_names as (

    select * from {{ ref('recipient_categories') }}

),

role_names as (

    select * from {{ ref('recipient_roles') }}

),

vendor_systems as (

    select distinct
        recipient_key as vendor_key,
        system_key,
        system_name
    from flows
    where recipient_kind = 'vendor'

),

system_lists as (

    select
        vendor_key,
        {{ dbt.listagg('coalesce(system_name, system_key)', "'; '", 'order by coalesce(system_name, system_key)') }}
            as systems
    from vendor_systems
    group by vendor_key

),

activity_lists as (

    select
        vendor_key,
        {{ dbt.listagg('activity_label', "'; '", 'order by activity_label') }} as activities
    from (
        select distinct
            vendor_systems.vendor_key,
            activities.activity_name || ' [' || activities.activity_key || ']' as activity_label
        from vendor_systems
        inner join activities
            on vendor_systems.system_key = activities.system_key
    ) as vendor_activities
    group by vendor_key

),

-- The same activities in words alone (the regulator's copy holds no keys): `name (system)`.
activity_name_lists as (

    select
        vendor_key,
        {{ dbt.listagg('activity_words', "'; '", 'order by activity_words') }} as activity_names
    from (
        select distinct
            vendor_systems.vendor_key,
            coalesce(activities.activity_name, activities.activity_key)
            || ' (' || coalesce(vendor_systems.system_name, vendor_systems.system_key) || ')'
                as activity_words
        from vendor_systems
        inner join activities
            on vendor_systems.system_key = activities.system_key
    ) as vendor_activities
    group by vendor_key

),

category_lists as (

    select
        vendor_key,
        {{ dbt.listagg('category_name', "'; '", 'order by category_name') }} as data_categories
    from (
        select distinct
            recipient_key as vendor_key,
            coalesce(category_name, data_category) as category_name
        from flows
        where recipient_kind = 'vendor' and data_category is not null
    ) as vendor_categories
    group by vendor_key

),

final as (

    select
        vendors.vendor_key,
        vendors.legal_name,
        vendors.recipient_category,
        vendors.role,
        vendors.country,
        vendors.country_name,
        vendors.in_eea,
        vendors.adequacy_scope,
        vendors.transfer_mechanism,
        vendors.dpa_signed_on,
        vendors.dpa_expires_on,
        vendors.tia_completed_on,
        vendors.receives_data,
        system_lists.systems,
        activity_lists.activities,
        category_lists.data_categories,
        vendors.dpa_status,
        vendors.tia_status,
        coalesce(
            category_names.name,
            upper(substring(vendors.recipient_category, 1, 1))
            || replace(substring(vendors.recipient_category, 2), '_', ' ')
        ) as recipient_category_name,
        coalesce(role_names.name, replace(vendors.role, '_', ' ')) as role_name,
        vendors.country_name || ' (' || vendors.country || ')' as country_label,
        vendors.safeguard,
        activity_name_lists.activity_names
    from vendors
    left join system_lists
        on vendors.vendor_key = system_lists.vendor_key
    left join activity_lists
        on vendors.vendor_key = activity_lists.vendor_key
    left join category_lists
        on vendors.vendor_key = category_lists.vendor_key
    left join activity_name_lists
        on vendors.vendor_key = activity_name_lists.vendor_key
    left join category_names
        on vendors.recipient_category = category_names.recipient_category
    left join role_names
        on vendors.role = role_names.role

)

select * from final
