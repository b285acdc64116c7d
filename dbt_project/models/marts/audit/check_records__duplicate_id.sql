-- records.duplicate_id: record ids seen more than once, by (system, record_type);
-- count = rows minus distinct ids. record_key is a keyed hash of record_id, so equal ids
-- have equal keys (and, at 128 bits, distinct ids distinct keys: docs/architecture.md).
with

records as (

    select * from {{ ref('stg_drop__records') }}

),

failing as (

    select
        system_key as system,
        record_type,
        cast(count(*) - count(distinct record_key) as bigint) as failing_count
    from records
    group by system_key, record_type
    having count(*) > count(distinct record_key)

),

final as (

    select
        system,
        record_type,
        failing_count,
        {{ format_message('{:,} extra {} {} of {} repeating a record_id', [
            "failing_count",
            "record_type",
            "case when failing_count = 1 then 'row' else 'rows' end",
            "system",
        ]) }} as message
    from failing

)

select * from final
