-- One row per processing activity with what the record says about its recipients, in words:
-- the recipients of its own categories (int_activity_recipients) and, where the declaration
-- shares data with third parties, its `third_parties` as written.
with

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

recipients as (

    select * from {{ ref('int_activity_recipients') }}

),

third_parties as (

    select
        activity_key,
        third_parties as recipient_label,
        third_parties as recipient_category_name
    from activities
    where
        coalesce(data_shared_with_third_parties, false)
        and third_parties is not null

),

labels as (

    select
        activity_key,
        recipient_label,
        recipient_category_name
    from recipients

    union

    select
        activity_key,
        recipient_label,
        recipient_category_name
    from third_parties

),

recipient_lists as (

    select
        activity_key,
        {{ dbt.listagg('recipient_label', "'; '", 'order by recipient_label') }} as recipients
    from labels
    group by activity_key

),

distinct_categories as (

    select distinct
        activity_key,
        recipient_category_name
    from labels

),

category_lists as (

    select
        activity_key,
        {{ dbt.listagg('recipient_category_name', "'; '", 'order by recipient_category_name') }}
            as recipient_categories
    from distinct_categories
    group by activity_key

),

processors as (

    select
        activity_key,
        recipient_name || ' (' || role_name || coalesce(', ' || country_label, '') || ')' as sub_processor_text,
        -- the DPA's state is decided once, in int_vendors_enriched (dpa_status)
        case
            when dpa_status = 'missing' then recipient_name || ': no data processing agreement on file'
            when dpa_status = 'expired'
                then
                    recipient_name || ': data processing agreement signed '
                    || {{ dbt.cast('dpa_signed_on', dbt.type_string()) }}
                    || ', expired ' || {{ dbt.cast('dpa_expires_on', dbt.type_string()) }}
            else
                recipient_name || ': data processing agreement signed '
                || {{ dbt.cast('dpa_signed_on', dbt.type_string()) }}
                || coalesce(', expires ' || {{ dbt.cast('dpa_expires_on', dbt.type_string()) }}, '')
        end as contract_text
    from recipients
    where role in ('processor', 'sub_processor')

),

contract_lists as (

    select
        activity_key,
        {{ dbt.listagg('contract_text', "'; '", 'order by contract_text') }} as processor_contracts,
        {{ dbt.listagg('sub_processor_text', "'; '", 'order by sub_processor_text') }} as sub_processors
    from processors
    group by activity_key

),

third_countries as (

    select distinct
        activity_key,
        country_label
    from recipients
    where is_third_country

),

country_lists as (

    select
        activity_key,
        {{ dbt.listagg('country_label', "'; '", 'order by country_label') }} as third_countries
    from third_countries
    group by activity_key

),

safeguards as (

    select
        activity_key,
        recipient_name || ' (' || country_label || '): '
        || case when safeguard = 'None' then 'no safeguard on file' else safeguard end
        || coalesce(
            ', transfer impact assessment ' || {{ dbt.cast('tia_completed_on', dbt.type_string()) }}, ''
        ) as safeguard_text
    from recipients
    where is_third_country

),

safeguard_lists as (

    select
        activity_key,
        {{ dbt.listagg('safeguard_text', "'; '", 'order by safeguard_text') }} as transfer_safeguards
    from safeguards
    group by activity_key

),

final as (

    select
        activities.activity_key,
        activities.system_key,
        recipient_lists.recipients,
        category_lists.recipient_categories,
        contract_lists.processor_contracts,
        contract_lists.sub_processors,
        country_lists.third_countries,
        safeguard_lists.transfer_safeguards
    from activities
    left join recipient_lists
        on activities.activity_key = recipient_lists.activity_key
    left join category_lists
        on activities.activity_key = category_lists.activity_key
    left join contract_lists
        on activities.activity_key = contract_lists.activity_key
    left join country_lists
        on activities.activity_key = country_lists.activity_key
    left join safeguard_lists
        on activities.activity_key = safeguard_lists.activity_key

)

select * from final
