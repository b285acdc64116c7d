with

activities as (

    select * from {{ ref('int_activities_described') }}

),

systems as (

    select * from {{ ref('int_systems_summarised') }}

),

organizations as (

    select * from {{ ref('stg_drop__organizations') }}

),

findings as (

    -- marts.findings reads staging/intermediate only, so this adds no cycle
    select * from {{ ref('findings') }}

),

flows as (

    select * from {{ ref('int_egress_flows_joined_to_recipients') }}

),

system_vendors as (

    select distinct
        system_key,
        recipient_key as vendor_key
    from flows
    where recipient_kind = 'vendor'

),

finding_subjects as (

    -- a finding about the activity; about its system (no activity named); or about a vendor
    -- its system sends data to (no system named)
    select
        activities.activity_key,
        findings.check_name,
        findings.subject_json
    from activities
    inner join findings
        on
            activities.activity_key = findings.activity
            or (findings.activity is null and activities.system_key = findings.system)

    union

    select
        activities.activity_key,
        findings.check_name,
        findings.subject_json
    from activities
    inner join system_vendors
        on activities.system_key = system_vendors.system_key
    inner join findings
        on system_vendors.vendor_key = findings.vendor
    where findings.system is null and findings.activity is null

),

activity_findings as (

    select
        activity_key,
        count(*) as open_findings
    from finding_subjects
    group by activity_key

),

final as (

    select
        activities.activity_key,
        activities.system_key,
        activities.system_name,
        activities.activity_name,
        activities.business_function,
        organizations.controller_name,
        organizations.controller_address,
        organizations.controller_email,
        organizations.controller_phone,
        organizations.dpo_name,
        organizations.dpo_address,
        organizations.dpo_email,
        organizations.dpo_phone,
        organizations.representative_name,
        organizations.representative_address,
        organizations.representative_email,
        organizations.representative_phone,
        activities.joint_controller,
        activities.purpose_key,
        activities.purpose_name,
        activities.purpose_description,
        activities.data_subject_categories,
        activities.data_subject_keys,
        activities.personal_data_categories,
        activities.personal_data_category_keys,
        systems.recipient_categories,
        systems.recipients,
        systems.processor_contracts,
        systems.third_countries,
        systems.transfer_safeguards,
        activities.retention_period_text,
        systems.retention_rules,
        activities.security_measures,
        organizations.security_policy as security_policy_url,
        activities.lawful_basis,
        activities.special_category_condition,
        activities.processes_special_category_data,
        activities.legitimate_interest_assessment,
        activities.dpia_required,
        activities.dpia_progress,
        activities.dpia_location,
        systems.data_location,
        systems.records_held,
        systems.records_overdue,
        {{ dbt.cast('coalesce(activity_findings.open_findings, 0)', api.Column.translate_type('bigint')) }}
            as open_findings,
        organizations._source_file || '; ' || activities._source_file as source_files,
        systems.loaded_at
    from activities
    inner join systems
        on activities.system_key = systems.system_key
    -- exactly one row by contract; a left join keeps every row visible (and failing tests) if it is missing
    left join organizations
        on 1 = 1
    left join activity_findings
        on activities.activity_key = activity_findings.activity_key
    where activities.is_controller

)

select * from final
