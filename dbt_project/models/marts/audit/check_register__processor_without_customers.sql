-- register.processor_without_customers: a system whose responsibility includes Processor that
-- no customer in customers.csv uses, whatever its status; its processing is in no Art. 30(2)
-- record (count 1).
with

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

customer_systems as (

    select * from {{ ref('stg_drop__customer_systems') }}

),

final as (

    select
        systems.system_key as system,
        cast(1 as bigint) as failing_count,
        {{ format_message(
            'processor system {} is used by no customer in customers.csv: '
            ~ 'its processing is in no Art. 30(2) record',
            ["systems.system_key"],
        ) }} as message
    from systems
    where
        systems.is_processor
        and not exists (
            select 1 from customer_systems
            where customer_systems.system_key = systems.system_key
        )

)

select * from final
