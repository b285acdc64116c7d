with

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

activity_categories as (

    select * from {{ ref('stg_drop__activity_data_categories') }}

),

activity_subjects as (

    select * from {{ ref('stg_drop__activity_data_subjects') }}

),

terms as (

    select * from {{ ref('int_taxonomy_terms_unioned') }}

),

processor_activities as (

    select distinct activity_key
    from {{ ref('stg_drop__system_processor_activities') }}

),

lawful_bases as (

    select * from {{ ref('lawful_bases') }}

),

special_category_conditions as (

    select * from {{ ref('special_category_conditions') }}

),

categories_named as (

    select distinct
        activity_categories.activity_key,
        activity_categories.data_category,
        coalesce(terms.name, activity_categories.data_category) as category_name
    from activity_categories
    left join terms
        on
            activity_categories.data_category = terms.taxonomy_key
            and terms.taxonomy_type = 'data_category'

),

subjects_named as (

    select distinct
        activity_subjects.activity_key,
        activity_subjects.data_subject,
        coalesce(terms.name, activity_subjects.data_subject) as subject_name
    from activity_subjects
    left join terms
        on
            activity_subjects.data_subject = terms.taxonomy_key
            and terms.taxonomy_type = 'data_subject'

),

category_lists as (

    select
        activity_key,
        {{ dbt.listagg('category_name', "'; '", 'order by category_name') }} as personal_data_categories,
        {{ dbt.listagg('data_category', "'; '", 'order by data_category') }} as personal_data_category_keys
    from categories_named
    group by activity_key

),

subject_lists as (

    select
        activity_key,
        {{ dbt.listagg('subject_name', "'; '", 'order by subject_name') }} as data_subject_categories,
        {{ dbt.listagg('data_subject', "'; '", 'order by data_subject') }} as data_subject_keys
    from subjects_named
    group by activity_key

),

-- exports.md, "Role of each activity": a dual-role system's activities named in
-- meta.processor_activities are done for customers, its others are the organisation's own;
-- without that list (register.role_ambiguous) each is both. A Processor-only system's
-- activities are all done for customers, a Controller-only system's all its own.
roles as (

    select
        activities.activity_key,
        processor_activities.activity_key is not null as is_listed_for_customers,
        coalesce(systems.is_controller, false) as is_controller,
        coalesce(systems.is_processor, false) as is_processor,
        coalesce(systems.processor_activities_declared, false) as processor_activities_declared
    from activities
    left join systems
        on activities.system_key = systems.system_key
    left join processor_activities
        on activities.activity_key = processor_activities.activity_key

),

activity_roles as (

    select
        activity_key,
        is_controller,
        is_processor,
        is_controller
        and (not is_processor or not processor_activities_declared or not is_listed_for_customers)
            as is_own_activity,
        is_processor
        and (not is_controller or not processor_activities_declared or is_listed_for_customers)
            as is_processor_activity
    from roles

),

final as (

    select
        activities.activity_key,
        activities.system_key,
        systems.name as system_name,
        activity_roles.is_controller,
        activity_roles.is_processor,
        activity_roles.is_own_activity,
        activity_roles.is_processor_activity,
        systems.administrating_department as business_function,
        coalesce(activities.declaration_name, purposes.name, activities.data_use) as activity_name,
        activities.data_use as purpose_key,
        coalesce(purposes.name, activities.data_use) as purpose_name,
        purposes.description as purpose_description,
        subject_lists.data_subject_categories,
        subject_lists.data_subject_keys,
        category_lists.personal_data_categories,
        category_lists.personal_data_category_keys,
        activities.legal_basis_for_processing,
        coalesce(lawful_bases.label, activities.legal_basis_for_processing) as lawful_basis,
        -- outputs.md: access, rectification and restriction always; the others by basis
        {{ dbt.concat([
            "'Access, rectification'",
            "case when lawful_bases.right_to_erasure then ', erasure' else '' end",
            "', restriction'",
            "case when lawful_bases.right_to_portability then ', data portability' else '' end",
            "case when lawful_bases.right_to_object then ', objection' else '' end",
            "case when lawful_bases.right_to_withdraw_consent then ', withdrawal of consent' else '' end",
        ]) }} as rights_available,
        coalesce(special_category_conditions.label, activities.special_category_legal_basis)
            as special_category_condition,
        coalesce(activities.processes_special_category_data, false) as processes_special_category_data,
        activities.impact_assessment_location as legitimate_interest_assessment,
        activities.retention_period as retention_period_text,
        activities.data_shared_with_third_parties,
        activities.third_parties,
        systems.data_security_practices as security_measures,
        systems.requires_data_protection_assessments as dpia_required,
        systems.dpa_progress as dpia_progress,
        systems.dpa_location as dpia_location,
        systems.joint_controller_info as joint_controller,
        activities._source_file
    from activities
    left join systems
        on activities.system_key = systems.system_key
    left join activity_roles
        on activities.activity_key = activity_roles.activity_key
    left join lawful_bases
        on activities.legal_basis_for_processing = lawful_bases.legal_basis
    left join special_category_conditions
        on activities.special_category_legal_basis = special_category_conditions.condition
    left join terms as purposes
        on
            activities.data_use = purposes.taxonomy_key
            and purposes.taxonomy_type = 'data_use'
    left join category_lists
        on activities.activity_key = category_lists.activity_key
    left join subject_lists
        on activities.activity_key = subject_lists.activity_key

)

select * from final
