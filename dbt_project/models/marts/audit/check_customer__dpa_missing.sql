-- customer.dpa_missing: an active customer (controller) we process for without a signed DPA.
with

customers as (

    select * from {{ ref('stg_drop__customers') }}

),

final as (

    select
        customer_key as customer,
        cast(1 as bigint) as failing_count,
        {{ format_message('active customer {} has no signed DPA', ["customer_key"]) }} as message
    from customers
    where
        status = 'active'
        and dpa_signed_on is null

)

select * from final
