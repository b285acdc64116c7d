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

system_datasets as (

    select * from {{ ref('stg_drop__system_datasets') }}

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

recipients as (

    select distinct
        flows.system_key,
        flows.recipient_key,
        flows.recipient_kind,
        flows.recipient_name,
        case flows.recipient_kind
            when 'vendor' then replace(flows.recipient_category, '_', ' ')
            when 'system' then 'internal system'
            else 'unknown recipient'
        end as recipient_category_name,
        case flows.recipient_kind
            when 'vendor' then flows.recipient_name || ' (' || flows.vendor_role || ', ' || flows.country || ')'
            when 'system' then flows.recipient_name || ' (internal system)'
            else flows.recipient_name || ' (unknown recipient)'
        end as recipient_label
    from flows

),

vendor_recipients as (

    select
        recipients.system_key,
        vendors.*
    from recipients
    inner join vendors
        on recipients.recipient_key = vendors.vendor_key

),

recipient_lists as (

    select
        system_key,
        {{ dbt.listagg('recipient_label', "'; '", 'order by recipient_label') }} as recipients
    from recipients
    group by system_key

),

distinct_categories as (

    select distinct
        system_key,
        recipient_category_name
    from recipients

),

category_lists as (

    select
        system_key,
        {{ dbt.listagg('recipient_category_name', "'; '", 'order by recipient_category_name') }}
            as recipient_categories
    from distinct_categories
    group by system_key

),

processors as (

    select
        system_key,
        legal_name || ' (' || country_name || ')' as sub_processor_text,
        -- the DPA's state is decided once, in int_vendors_enriched (dpa_status)
        case
            when dpa_status = 'missing' then legal_name || ': no DPA on file'
            else
                legal_name || ': DPA signed ' || {{ dbt.cast('dpa_signed_on', dbt.type_string()) }}
                || coalesce(', expires ' || {{ dbt.cast('dpa_expires_on', dbt.type_string()) }}, '')
        end as contract_text
    from vendor_recipients
    where role in ('processor', 'sub_processor')

),

contract_lists as (

    select
        system_key,
        {{ dbt.listagg('contract_text', "'; '", 'order by contract_text') }} as processor_contracts,
        {{ dbt.listagg('sub_processor_text', "'; '", 'order by sub_processor_text') }} as sub_processors
    from processors
    group by system_key

),

third_countries as (

    select distinct
        system_key,
        country_name
    from vendor_recipients
    where is_third_country

),

transfer_lists as (

    select
        system_key,
        {{ dbt.listagg('country_name', "'; '", 'order by country_name') }} as third_countries
    from third_countries
    group by system_key

),

safeguards as (

    select
        system_key,
        legal_name || ' (' || country_name || '): ' || safeguard
        || coalesce(', TIA ' || {{ dbt.cast('tia_completed_on', dbt.type_string()) }}, '') as safeguard_text
    from vendor_recipients
    where is_third_country

),

safeguard_lists as (

    select
        system_key,
        {{ dbt.listagg('safeguard_text', "'; '", 'order by safeguard_text') }} as transfer_safeguards
    from safeguards
    group by system_key

),

rule_lists as (

    select
        system_key,
        {{ dbt.listagg('rule_text', "'; '", 'order by rule_text') }} as retention_rules
    from rules
    group by system_key

),

distinct_datasets as (

    select distinct
        system_key,
        dataset_key
    from system_datasets

),

dataset_lists as (

    select
        system_key,
        {{ dbt.listagg('dataset_key', "', '", 'order by dataset_key') }} as datasets
    from distinct_datasets
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
        recipient_lists.recipients,
        category_lists.recipient_categories,
        contract_lists.processor_contracts,
        contract_lists.sub_processors,
        transfer_lists.third_countries,
        safeguard_lists.transfer_safeguards,
        rule_lists.retention_rules,
        'System ' || systems.name || coalesce('; datasets: ' || dataset_lists.datasets, '') as data_location,
        {{ dbt.cast('coalesce(record_counts.records_held, 0)', api.Column.translate_type('bigint')) }}
            as records_held,
        {{ dbt.cast('coalesce(record_counts.records_overdue, 0)', api.Column.translate_type('bigint')) }}
            as records_overdue,
        systems._source_file,
        load_audit.loaded_at
    from systems
    left join recipient_lists
        on systems.system_key = recipient_lists.system_key
    left join category_lists
        on systems.system_key = category_lists.system_key
    left join contract_lists
        on systems.system_key = contract_lists.system_key
    left join transfer_lists
        on systems.system_key = transfer_lists.system_key
    left join safeguard_lists
        on systems.system_key = safeguard_lists.system_key
    left join rule_lists
        on systems.system_key = rule_lists.system_key
    left join dataset_lists
        on systems.system_key = dataset_lists.system_key
    left join record_counts
        on systems.system_key = record_counts.system_key
    left join load_audit
        on systems._source_file = load_audit.source_file

)

select * from final
