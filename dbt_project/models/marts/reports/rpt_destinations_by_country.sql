-- Where vendors receive personal data, per country, with the protection the country offers.
with

data_map as (

    select * from {{ ref('data_map') }}

),

recipients as (

    select * from {{ ref('recipients') }}

),

vendor_flows as (

    select
        recipients.country,
        recipients.country_name,
        case
            when recipients.in_eea then 'EEA'
            when recipients.adequacy_scope = 'full' then 'adequacy decision'
            when recipients.adequacy_scope = 'partial' then 'partial adequacy'
            else 'third country, no adequacy'
        end as protection,
        data_map.recipient_key,
        data_map.system_key,
        data_map.data_category
    from data_map
    inner join recipients
        on data_map.recipient_key = recipients.vendor_key

),

final as (

    select
        country,
        country_name,
        protection,
        {{ dbt.cast('count(distinct recipient_key)', 'bigint') }} as recipients,
        {{ dbt.cast('count(distinct system_key)', 'bigint') }} as systems,
        {{ dbt.cast('count(distinct data_category)', 'bigint') }} as data_categories
    from vendor_flows
    group by country, country_name, protection

)

select * from final
