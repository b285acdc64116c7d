-- register.responsibility_missing: a system without `responsibility`, taken as Controller
-- (exports.md "Role of each activity"); count 1.
with

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

final as (

    select
        system_key as system,
        cast(1 as bigint) as failing_count,
        {{ format_message('system {} declares no responsibility; it is taken as Controller', ["system_key"]) }}
            as message
    from systems
    where not responsibility_declared

)

select * from final
