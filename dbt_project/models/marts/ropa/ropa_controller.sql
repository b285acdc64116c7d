with

recorded as (

    select * from {{ ref('int_controller_activities_recorded') }}

),

history as (

    select * from {{ ref('ropa_controller_snapshot') }}

),

special as (

    select * from {{ ref('audit_special_category_activities') }}

),

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

-- governance: the first version of the activity's row, and the version in force (a check
-- snapshot on the Art. 30 fields; each version keeps the as_of of the run that wrote it)
versions as (

    select
        activity_key,
        min(recorded_on) as first_recorded_on,
        max(case when dbt_valid_to is null then recorded_on end) as last_changed_on
    from history
    group by activity_key

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
        recorded.activity_key,
        recorded.system_key,
        recorded.system_name,
        recorded.activity_name,
        recorded.business_function,
        recorded.controller_name,
        recorded.controller_address,
        recorded.controller_email,
        recorded.controller_phone,
        recorded.dpo_name,
        recorded.dpo_address,
        recorded.dpo_email,
        recorded.dpo_phone,
        recorded.representative_name,
        recorded.representative_address,
        recorded.representative_email,
        recorded.representative_phone,
        recorded.joint_controller,
        recorded.purpose_key,
        recorded.purpose_name,
        recorded.purpose_description,
        recorded.data_subject_categories,
        recorded.data_subject_keys,
        recorded.personal_data_categories,
        recorded.personal_data_category_keys,
        recorded.recipient_categories,
        recorded.recipients,
        recorded.processor_contracts,
        recorded.third_countries,
        recorded.transfer_safeguards,
        recorded.retention_period_text,
        recorded.retention_rules,
        recorded.security_measures,
        recorded.security_policy_url,
        recorded.lawful_basis,
        recorded.rights_available,
        recorded.special_category_condition,
        -- outputs.md: "Yes" where the categories are special even if the declaration says no
        special.activity_key is not null as processes_special_category_data,
        recorded.legitimate_interest_assessment,
        recorded.automated_decision_making,
        coalesce(recorded.system_requires_dpia, false) or special.activity_key is not null as dpia_required,
        recorded.dpia_progress,
        recorded.dpia_location,
        recorded.data_location,
        recorded.data_source,
        coalesce(versions.first_recorded_on, recorded.recorded_on) as first_recorded_on,
        coalesce(versions.last_changed_on, recorded.recorded_on) as last_changed_on,
        systems.records_held,
        systems.records_overdue,
        {{ dbt.cast('coalesce(activity_findings.open_findings, 0)', api.Column.translate_type('bigint')) }}
            as open_findings,
        organizations._source_file || '; ' || activities._source_file as source_files,
        systems.loaded_at
    from recorded
    inner join activities
        on recorded.activity_key = activities.activity_key
    inner join systems
        on recorded.system_key = systems.system_key
    left join versions
        on recorded.activity_key = versions.activity_key
    left join special
        on recorded.activity_key = special.activity_key
    -- exactly one row by contract; a left join keeps every row visible (and failing tests) if it is missing
    left join organizations
        on 1 = 1
    left join activity_findings
        on recorded.activity_key = activity_findings.activity_key

)

select * from final
