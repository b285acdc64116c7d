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

final as (

    select
        activities.activity_key,
        activities.system_key,
        systems.name as system_name,
        systems.is_controller,
        systems.is_processor,
        systems.administrating_department as business_function,
        coalesce(activities.declaration_name, purposes.name, activities.data_use) as activity_name,
        activities.data_use as purpose_key,
        coalesce(purposes.name, activities.data_use) as purpose_name,
        purposes.description as purpose_description,
        subject_lists.data_subject_categories,
        subject_lists.data_subject_keys,
        category_lists.personal_data_categories,
        category_lists.personal_data_category_keys,
        activities.legal_basis_for_processing as lawful_basis,
        activities.special_category_legal_basis as special_category_condition,
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
