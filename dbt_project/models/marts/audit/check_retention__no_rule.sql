-- retention.no_rule: records that no retention rule covers, by (system, record_type).
-- Records of a system missing from the register land here too (no rule can name it).
with

retention_counts as (

    select * from {{ ref('int_retention_counts') }}

),

failing as (

    select
        system_key as system,
        record_type,
        cast(sum(records) as bigint) as failing_count
    from retention_counts
    where rule_key is null
    group by system_key, record_type
    having sum(records) > 0

),

final as (

    select
        system,
        record_type,
        failing_count,
        {{ format_message('{:,} {} {} of {} covered by no retention rule', [
            "failing_count",
            "record_type",
            "case when failing_count = 1 then 'record' else 'records' end",
            "system",
        ]) }} as message
    from failing

)

select * from final
