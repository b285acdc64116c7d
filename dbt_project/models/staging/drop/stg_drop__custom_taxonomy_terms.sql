with

source as (

    select * from {{ source('drop', 'custom_taxonomy_terms') }}

),

renamed as (

    select
        nullif(lower(trim(taxonomy_type)), '') as taxonomy_type,
        nullif(lower(trim(taxonomy_key)), '') as taxonomy_key,
        nullif(trim(name), '') as name,
        nullif(trim(description), '') as description,
        nullif(lower(trim(parent_key)), '') as parent_key,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
