with

rules as (

    select * from {{ ref('stg_drop__retention_rules') }}

),

described as (

    select
        *,
        {{ dbt.concat([
            "'first non-null of '",
            "anchor_1",
            "coalesce(', ' || anchor_2, '')",
            "coalesce(', ' || anchor_3, '')",
        ]) }} as anchor_list,
        case
            when period_source = 'customer_setting' and period is not null
                then 'customer setting (else ' || period || ')'
            when period_source = 'customer_setting' then 'customer setting (no default)'
            else coalesce(period, 'no period')
        end as period_text
    from rules

),

final as (

    select
        rule_key,
        system_key,
        record_type,
        data_subject,
        case
            when anchor_2 is null then anchor_1
            else anchor_list
        end as anchor,
        period,
        period_months,
        period_days,
        period_source,
        period_text,
        action,
        basis,
        {{ dbt.concat([
            "rule_key",
            "': '",
            "case when record_type = '*' then 'all records' else record_type || ' records' end",
            "', '",
            "period_text",
            "' after '",
            "case when anchor_2 is null then anchor_1 else anchor_list end",
            "', then '",
            "coalesce(action, 'no action')",
        ]) }} as rule_text,
        _source_file,
        _source_line
    from described

)

select * from final
