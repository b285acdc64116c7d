-- One row per (activity, recipient): the system's egress flows that carry at least one of the
-- activity's data categories (exports.md, "Recipients of an activity"). Two categories match when
-- one is the other or lies below it in the taxonomy; a flow that lists no category carries every
-- category of the system. The declaration's `third_parties` are added in int_activities_summarised.
with

activity_categories as (

    select distinct
        activity_key,
        data_category
    from {{ ref('stg_drop__activity_data_categories') }}

),

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

flows as (

    select * from {{ ref('int_egress_flows_joined_to_recipients') }}

),

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

related as (

    select * from {{ ref('int_data_categories_related') }}

),

category_names as (

    select * from {{ ref('recipient_categories') }}

),

role_names as (

    select * from {{ ref('recipient_roles') }}

),

-- (flow category, activity category) pairs that match in either direction
matching_categories as (

    select
        related.data_category as flow_category,
        related.ancestor_key as activity_category
    from related

    union

    select
        related.ancestor_key as flow_category,
        related.data_category as activity_category
    from related

),

matches as (

    select distinct
        activities.activity_key,
        flows.system_key,
        flows.recipient_key
    from activities
    inner join flows
        on activities.system_key = flows.system_key
    left join activity_categories
        on activities.activity_key = activity_categories.activity_key
    left join matching_categories
        on
            flows.data_category = matching_categories.flow_category
            and activity_categories.data_category = matching_categories.activity_category
    where
        flows.data_category is null
        or flows.data_category = activity_categories.data_category
        or matching_categories.flow_category is not null

),

recipients as (

    select distinct
        system_key,
        recipient_key,
        recipient_kind,
        -- a target the register and vendors.csv do not know has only its key: shown in words
        case
            when recipient_kind = 'unknown' then replace(recipient_name, '_', ' ')
            else recipient_name
        end as recipient_name,
        recipient_category
    from flows

),

final as (

    select
        matches.activity_key,
        matches.system_key,
        matches.recipient_key,
        recipients.recipient_kind,
        recipients.recipient_name,
        recipients.recipient_category,
        case recipients.recipient_kind
            when 'unknown' then 'Recipient not in the register or vendor list'
            else
                coalesce(
                    category_names.name,
                    upper(substring(recipients.recipient_category, 1, 1))
                    || replace(substring(recipients.recipient_category, 2), '_', ' ')
                )
        end as recipient_category_name,
        vendors.role,
        case recipients.recipient_kind
            when 'vendor' then coalesce(role_names.name, replace(vendors.role, '_', ' '))
            when 'system' then 'internal system'
            else 'unknown recipient'
        end as role_name,
        vendors.country,
        case
            when vendors.country is not null then vendors.country_name || ' (' || vendors.country || ')'
        end as country_label,
        coalesce(vendors.is_third_country, false) as is_third_country,
        vendors.safeguard,
        vendors.tia_completed_on,
        vendors.dpa_status,
        vendors.dpa_signed_on,
        vendors.dpa_expires_on,
        {{ dbt.concat([
            "recipients.recipient_name",
            "' ('",
            "case recipients.recipient_kind"
            ~ " when 'vendor' then coalesce(role_names.name, replace(vendors.role, '_', ' '))"
            ~ " when 'system' then 'internal system' else 'unknown recipient' end",
            "coalesce(', ' || vendors.country_name || ' (' || vendors.country || ')', '')",
            "')'",
        ]) }} as recipient_label
    from matches
    inner join recipients
        on
            matches.system_key = recipients.system_key
            and matches.recipient_key = recipients.recipient_key
    left join vendors
        on
            recipients.recipient_kind = 'vendor'
            and matches.recipient_key = vendors.vendor_key
    left join category_names
        on recipients.recipient_category = category_names.recipient_category
    left join role_names
        on vendors.role = role_names.role

)

select * from final
