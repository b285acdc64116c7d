-- The Art. 30(1) fields of each of the organisation's own activities (exports.md, "Role of each
-- activity"), in words, as of this run. The snapshot `ropa_controller_snapshot` versions these
-- rows; marts.ropa_controller adds what the history tells (first recorded, last changed), the
-- special-category reading of the audit and the evidence.
with

activities as (

    select * from {{ ref('int_activities_described') }}

),

activity_recipients as (

    select * from {{ ref('int_activities_summarised') }}

),

systems as (

    select * from {{ ref('int_systems_summarised') }}

),

organizations as (

    select * from {{ ref('stg_drop__organizations') }}

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
        activity_recipients.recipient_categories,
        activity_recipients.recipients,
        activity_recipients.processor_contracts,
        activity_recipients.third_countries,
        activity_recipients.transfer_safeguards,
        activities.retention_period_text,
        systems.retention_rules,
        activities.security_measures,
        organizations.security_policy as security_policy_url,
        activities.lawful_basis,
        activities.rights_available,
        activities.special_category_condition,
        activities.processes_special_category_data as declares_special_category_data,
        activities.legitimate_interest_assessment,
        systems.automated_decision_making,
        activities.dpia_required as system_requires_dpia,
        activities.dpia_progress,
        activities.dpia_location,
        systems.data_location,
        systems.data_source,
        {{ as_of_date() }} as recorded_on
    from activities
    inner join systems
        on activities.system_key = systems.system_key
    left join activity_recipients
        on activities.activity_key = activity_recipients.activity_key
    -- exactly one row by contract; a left join keeps every row visible (and failing tests) if it is missing
    left join organizations
        on 1 = 1
    where activities.is_own_activity

)

select * from final
