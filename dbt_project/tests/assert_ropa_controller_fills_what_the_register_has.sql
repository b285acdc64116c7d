-- Every Art. 30 field the register fills must reach the controller record: one row per
-- activity and field where the register has a value and ropa_controller shows none, or shows
-- it as the register's code rather than in words.

with

controller as (

    select * from {{ ref('ropa_controller') }}

),

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

activity_categories as (

    select distinct activity_key from {{ ref('stg_drop__activity_data_categories') }}

),

activity_subjects as (

    select distinct activity_key from {{ ref('stg_drop__activity_data_subjects') }}

),

activity_category_rows as (

    select * from {{ ref('stg_drop__activity_data_categories') }}

),

flows as (

    select * from {{ ref('stg_drop__system_egress_flows') }}

),

-- a lower bound of exports.md's "Recipients of an activity", read from staging alone: a flow of
-- its system that lists none of its categories, or one of them exactly
egress as (

    select distinct activities.activity_key
    from activities
    inner join flows
        on activities.system_key = flows.system_key
    where
        flows.data_category is null
        or flows.data_category in (
            select activity_category_rows.data_category
            from activity_category_rows
            where activity_category_rows.activity_key = activities.activity_key
        )

),

rules as (

    select distinct system_key from {{ ref('stg_drop__retention_rules') }}

),

gaps as (

    select
        controller.activity_key,
        case
            when activity_categories.activity_key is not null and controller.personal_data_categories is null
                then 'personal_data_categories'
            when activity_subjects.activity_key is not null and controller.data_subject_categories is null
                then 'data_subject_categories'
            when egress.activity_key is not null and controller.recipients is null then 'recipients'
            when egress.activity_key is not null and controller.recipient_categories is null
                then 'recipient_categories'
            when rules.system_key is not null and controller.retention_rules is null then 'retention_rules'
            when activities.retention_period is not null and controller.retention_period_text is null
                then 'retention_period_text'
            when activities.legal_basis_for_processing is not null and controller.lawful_basis is null
                then 'lawful_basis'
            when controller.lawful_basis = activities.legal_basis_for_processing then 'lawful_basis_in_words'
            when
                activities.special_category_legal_basis is not null
                and controller.special_category_condition = activities.special_category_legal_basis
                then 'special_category_condition_in_words'
            when systems.data_security_practices is not null and controller.security_measures is null
                then 'security_measures'
            when systems.administrating_department is not null and controller.business_function is null
                then 'business_function'
            when controller.purpose_name is null then 'purpose_name'
        end as missing_field
    from controller
    inner join activities
        on controller.activity_key = activities.activity_key
    inner join systems
        on controller.system_key = systems.system_key
    left join activity_categories
        on controller.activity_key = activity_categories.activity_key
    left join activity_subjects
        on controller.activity_key = activity_subjects.activity_key
    left join egress
        on controller.activity_key = egress.activity_key
    left join rules
        on controller.system_key = rules.system_key

),

final as (

    select * from gaps
    where missing_field is not null

)

select * from final
