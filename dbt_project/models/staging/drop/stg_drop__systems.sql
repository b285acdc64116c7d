with

source as (

    select * from {{ source('drop', 'systems') }}

),

renamed as (

    select
        nullif(lower(trim(system_key)), '') as system_key,
        nullif(trim(name), '') as name,
        nullif(trim(description), '') as description,
        nullif(trim(administrating_department), '') as administrating_department,
        coalesce(responsibility_declared, true) as responsibility_declared,
        is_controller,
        is_processor,
        is_sub_processor,
        coalesce(processor_activities_declared, false) as processor_activities_declared,
        nullif(trim(data_security_practices), '') as data_security_practices,
        requires_data_protection_assessments,
        nullif(trim(dpa_progress), '') as dpa_progress,
        nullif(trim(dpa_location), '') as dpa_location,
        nullif(trim(joint_controller_info), '') as joint_controller_info,
        coalesce(uses_profiling, false) as uses_profiling,
        nullif(trim(legal_basis_for_profiling), '') as legal_basis_for_profiling,
        nullif(trim(legal_name), '') as legal_name,
        nullif(trim(legitimate_interest_disclosure_url), '') as legitimate_interest_disclosure_url,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
