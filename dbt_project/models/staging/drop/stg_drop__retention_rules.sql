with

source as (

    select * from {{ source('drop', 'retention_rules') }}

),

renamed as (

    select
        nullif(lower(trim(rule_key)), '') as rule_key,
        nullif(lower(trim(system_key)), '') as system_key,
        nullif(lower(trim(record_type)), '') as record_type,
        nullif(lower(trim(data_subject)), '') as data_subject,
        nullif(lower(trim(anchor_1)), '') as anchor_1,
        nullif(lower(trim(anchor_2)), '') as anchor_2,
        nullif(lower(trim(anchor_3)), '') as anchor_3,
        nullif(trim(period), '') as period,
        period_months,
        period_days,
        nullif(lower(trim(period_source)), '') as period_source,
        nullif(lower(trim(action)), '') as action,
        nullif(trim(basis), '') as basis,
        _source_file,
        _source_line
    from source

),

final as (

    select * from renamed

)

select * from final
