with

source as (

    select * from {{ source('drop', 'policy_retention_limits') }}

),

renamed as (

    select
        nullif(lower(trim(data_subject)), '') as data_subject,
        nullif(trim(max_period), '') as max_period,
        max_period_months,
        max_period_days
    from source

),

final as (

    select * from renamed

)

select * from final
