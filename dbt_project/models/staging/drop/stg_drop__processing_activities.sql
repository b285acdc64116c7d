with

source as (

    select * from {{ source('drop', 'processing_activities') }}

),

renamed as (

    select
        nullif(lower(trim(activity_key)), '') as activity_key,
        nullif(lower(trim(system_key)), '') as system_key,
        nullif(trim(declaration_name), '') as declaration_name,
        nullif(lower(trim(data_use)), '') as data_use,
        nullif(trim(legal_basis_for_processing), '') as legal_basis_for_processing,
        flexible_legal_basis_for_processing,
        nullif(trim(impact_assessment_location), '') as impact_assessment_location,
        nullif(trim(retention_period), '') as retention_period,
        processes_special_category_data,
        nullif(trim(special_category_legal_basis), '') as special_category_legal_basis,
        data_shared_with_third_parties,
        nullif(trim(third_parties), '') as third_parties,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
