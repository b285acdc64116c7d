-- One row per register system with what all its activities share in the record, in words:
-- retention rules, where the data is held (the hosting recipients), automated decision-making
-- and profiling, and the evidence counts. What differs per activity (recipients, transfers) is
-- in int_activities_summarised.
with

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

flows as (

    select * from {{ ref('int_egress_flows_joined_to_recipients') }}

),

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

rules as (

    select * from {{ ref('int_retention_rules_described') }}

),

retention_counts as (

    select * from {{ ref('int_retention_counts') }}

),

load_audit as (

    select * from {{ ref('stg_drop__load_audit') }}

),

profiling_bases as (

    select * from {{ ref('profiling_bases') }}

),

ingress as (

    select * from {{ ref('stg_drop__system_ingress_flows') }}

),

-- outputs.md: source of the personal data = the system's ingress, by name (a vendor's legal name,
-- a system's name); none declared: the data subjects themselves
sources as (

    select distinct
        ingress.system_key,
        coalesce(vendors.legal_name, source_system.name, replace(ingress.source_key, '_', ' ')) as source_name
    from ingress
    left join vendors
        on ingress.source_key = vendors.vendor_key
    left join systems as source_system
        on ingress.source_key = source_system.system_key

),

source_lists as (

    select
        system_key,
        {{ dbt.listagg('source_name', "'; '", 'order by source_name') }} as data_sources
    from sources
    group by system_key

),

-- outputs.md: location = names and countries of the hosting recipients the system sends data to
hosting as (

    select distinct
        flows.system_key,
        vendors.legal_name || ' (' || vendors.country_name || ' (' || vendors.country || '))' as hosting_text
    from flows
    inner join vendors
        on flows.recipient_key = vendors.vendor_key
    where vendors.recipient_category in ('cloud_hosting', 'data_storage', 'colocation')

),

hosting_lists as (

    select
        system_key,
        {{ dbt.listagg('hosting_text', "'; '", 'order by hosting_text') }} as data_location
    from hosting
    group by system_key

),

-- legal_basis_for_profiling is `; `-joined at load: each fideslang value it names, in words
profiling as (

    select
        systems.system_key,
        profiling_bases.label
    from systems
    inner join profiling_bases
        on {{ dbt.position('profiling_bases.legal_basis', 'systems.legal_basis_for_profiling') }} > 0
    where systems.uses_profiling

),

profiling_lists as (

    select
        system_key,
        {{ dbt.listagg('label', "'; '", 'order by label') }} as profiling_bases
    from profiling
    group by system_key

),

rule_lists as (

    select
        system_key,
        {{ dbt.listagg('rule_text', "'; '", 'order by rule_text') }} as retention_rules
    from rules
    group by system_key

),

record_counts as (

    select
        system_key,
        sum(records) as records_held,
        sum(records_overdue) as records_overdue
    from retention_counts
    group by system_key

),

final as (

    select
        systems.system_key,
        systems.name as system_name,
        rule_lists.retention_rules,
        coalesce(hosting_lists.data_location, 'No hosting provider in the register') as data_location,
        coalesce(source_lists.data_sources, 'The data subjects themselves') as data_source,
        case
            when not systems.uses_profiling then 'No'
            when profiling_lists.profiling_bases is not null
                then 'Yes: profiling, on the basis of ' || profiling_lists.profiling_bases
            when systems.legal_basis_for_profiling is not null
                then 'Yes: profiling, on the basis of ' || systems.legal_basis_for_profiling
            else 'Yes: profiling, with no Art. 22(2) basis declared'
        end as automated_decision_making,
        {{ dbt.cast('coalesce(record_counts.records_held, 0)', api.Column.translate_type('bigint')) }}
            as records_held,
        {{ dbt.cast('coalesce(record_counts.records_overdue, 0)', api.Column.translate_type('bigint')) }}
            as records_overdue,
        systems._source_file,
        load_audit.loaded_at
    from systems
    left join hosting_lists
        on systems.system_key = hosting_lists.system_key
    left join profiling_lists
        on systems.system_key = profiling_lists.system_key
    left join source_lists
        on systems.system_key = source_lists.system_key
    left join rule_lists
        on systems.system_key = rule_lists.system_key
    left join record_counts
        on systems.system_key = record_counts.system_key
    left join load_audit
        on systems._source_file = load_audit.source_file

)

select * from final
