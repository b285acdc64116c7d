-- customer.processing_after_termination: records held for a terminated customer that were
-- created (UTC date of created_at) after its terminated_on date; a record created on that date
-- passes, and a terminated customer without terminated_on has no date to compare with.
-- raw.records can be 100M rows: one grouped pass over the records of terminated customers.
with

customers as (

    select * from {{ ref('stg_drop__customers') }}

),

records as (

    select * from {{ ref('stg_drop__records') }}

),

terminated as (

    select
        customer_key,
        terminated_on
    from customers
    where
        status = 'terminated'
        and terminated_on is not null

),

failing as (

    select
        terminated.customer_key as customer,
        min(terminated.terminated_on) as terminated_on,
        cast(count(*) as bigint) as failing_count
    from records
    inner join terminated
        on
            records.customer_key = terminated.customer_key
            and {{ dbt.cast('records.created_at', 'date') }} > terminated.terminated_on
    group by terminated.customer_key

),

final as (

    select
        customer,
        failing_count,
        {{ format_message('{:,} {} held for {} created after it was terminated on {}', [
            "failing_count",
            "case when failing_count = 1 then 'record' else 'records' end",
            "customer",
            dbt.cast('terminated_on', dbt.type_string()),
        ]) }} as message
    from failing

)

select * from final
