with

activities as (

    select * from {{ ref('int_activities_described') }}

),

activity_recipients as (

    select * from {{ ref('int_activities_summarised') }}

),

organizations as (

    select * from {{ ref('stg_drop__organizations') }}

),

customers as (

    select * from {{ ref('stg_drop__customers') }}

),

customer_systems as (

    select distinct
        customer_key,
        system_key
    from {{ ref('stg_drop__customer_systems') }}

),

countries as (

    select * from {{ ref('countries') }}

),

final as (

    select
        customers.customer_key,
        activities.activity_key,
        organizations.controller_name as processor_name,
        organizations.controller_address as processor_address,
        organizations.controller_email as processor_email,
        organizations.controller_phone as processor_phone,
        organizations.dpo_name,
        organizations.dpo_address,
        organizations.dpo_email,
        organizations.dpo_phone,
        organizations.representative_name,
        organizations.representative_address,
        organizations.representative_email,
        organizations.representative_phone,
        customers.legal_name as customer_name,
        case
            when customers.country is not null
                then coalesce(countries.country_name, customers.country) || ' (' || customers.country || ')'
        end as customer_country,
        customers.contact_email as customer_contact_email,
        customers.status as customer_status,
        customers.dpa_signed_on as customer_dpa_signed_on,
        activities.system_key,
        activities.system_name,
        activities.activity_name || ' (' || activities.purpose_name || ')' as processing_categories,
        activities.personal_data_categories,
        activities.data_subject_categories,
        activity_recipients.sub_processors,
        activity_recipients.third_countries,
        activity_recipients.transfer_safeguards,
        activities.security_measures,
        customers.retention_days as customer_retention_days,
        case
            when customers.retention_days = 1 then '1 day'
            when customers.retention_days is not null
                then {{ dbt.cast('customers.retention_days', dbt.type_string()) }} || ' days'
            else 'Not set: the default of the retention schedule applies'
        end as customer_retention_setting,
        activities.retention_period_text
    from activities
    inner join customer_systems
        on activities.system_key = customer_systems.system_key
    inner join customers
        on customer_systems.customer_key = customers.customer_key
    left join activity_recipients
        on activities.activity_key = activity_recipients.activity_key
    -- exactly one row by contract; a left join keeps every row visible (and failing tests) if it is missing
    left join organizations
        on 1 = 1
    left join countries
        on customers.country = countries.country_code
    where activities.is_processor_activity

)

select * from final
