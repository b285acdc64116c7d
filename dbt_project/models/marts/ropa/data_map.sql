with

flows as (

    select * from {{ ref('int_egress_flows_joined_to_recipients') }}

),

final as (

    select distinct
        system_key,
        data_category,
        recipient_key,
        coalesce(system_name, system_key) as system_name,
        category_name,
        recipient_name,
        recipient_kind,
        country
    from flows

)

select * from final
