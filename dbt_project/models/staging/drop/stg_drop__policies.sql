with

source as (

    select * from {{ source('drop', 'policies') }}

),

renamed as (

    select
        nullif(trim(title), '') as title,
        nullif(trim(version), '') as version,
        nullif(trim(url), '') as url,
        rights_request_days,
        extension_days,
        unsubscribe_business_days,
        minimum_age,
        processes_special_category_data,
        dpa_renewal_notice_days,
        _source_file
    from source

),

final as (

    select * from renamed

)

select * from final
