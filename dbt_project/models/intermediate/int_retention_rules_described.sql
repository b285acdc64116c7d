-- One row per retention rule, in words (outputs.md, "Written for a regulator"): `P1Y` after
-- `closed_at, last_activity_at` reads "1 year after the user account is closed or, failing that,
-- after its last activity"; a `customer_setting` rule reads "the customer's own setting
-- (default 90 days)". The words for anchors and actions are the seed `retention_wording`.
with

rules as (

    select * from {{ ref('stg_drop__retention_rules') }}

),

wording as (

    select * from {{ ref('retention_wording') }}

),

durations as (

    select
        *,
        {{ dbt.cast("floor(period_months / 12)", api.Column.translate_type('integer')) }} as period_years,
        mod(period_months, 12) as period_months_left,
        case
            when record_type = '*' then 'record'
            else replace(record_type, '_', ' ')
        end as record_noun
    from rules

),

parts as (

    select
        *,
        case
            when period_years = 1 then '1 year'
            when period_years > 1 then {{ dbt.cast('period_years', dbt.type_string()) }} || ' years'
        end as years_text,
        case
            when period_months_left = 1 then '1 month'
            when period_months_left > 1 then {{ dbt.cast('period_months_left', dbt.type_string()) }} || ' months'
        end as months_text,
        case
            when period_days = 1 then '1 day'
            when period_days > 1 then {{ dbt.cast('period_days', dbt.type_string()) }} || ' days'
        end as days_text
    from durations

),

worded as (

    select
        parts.*,
        case
            when parts.period is null then null
            when parts.years_text is null and parts.months_text is null and parts.days_text is null then '0 days'
            else
                {{ dbt.concat([
                    "coalesce(parts.years_text, '')",
                    "case when parts.years_text is not null and parts.months_text is not null then ' and ' else '' end",
                    "coalesce(parts.months_text, '')",
                    "case when (parts.years_text is not null or parts.months_text is not null)"
                    ~ " and parts.days_text is not null then ' and ' else '' end",
                    "coalesce(parts.days_text, '')",
                ]) }}
        end as duration_words,
        replace(anchor_1_words.words, '{record}', parts.record_noun) as anchor_1_text,
        replace(anchor_2_words.words, '{record}', parts.record_noun) as anchor_2_text,
        replace(anchor_3_words.words, '{record}', parts.record_noun) as anchor_3_text,
        coalesce(action_words.words, parts.action) as action_text
    from parts
    left join wording as anchor_1_words
        on anchor_1_words.term_type = 'anchor' and parts.anchor_1 = anchor_1_words.term
    left join wording as anchor_2_words
        on anchor_2_words.term_type = 'anchor' and parts.anchor_2 = anchor_2_words.term
    left join wording as anchor_3_words
        on anchor_3_words.term_type = 'anchor' and parts.anchor_3 = anchor_3_words.term
    left join wording as action_words
        on action_words.term_type = 'action' and parts.action = action_words.term

),

described as (

    select
        *,
        {{ dbt.concat([
            "coalesce(anchor_1_text, replace(anchor_1, '_', ' '))",
            "coalesce(' or, failing that, after ' || coalesce(anchor_2_text, replace(anchor_2, '_', ' ')), '')",
            "coalesce(' or, failing that, after ' || coalesce(anchor_3_text, replace(anchor_3, '_', ' ')), '')",
        ]) }} as anchor_words,
        case
            when period_source = 'customer_setting'
                then
                    {{ quoted_text("the customer's own setting (") }}
                    || coalesce('default ' || duration_words, 'no default') || ')'
            else coalesce(duration_words, 'no period set')
        end as period_text,
        case
            when record_type = '*' then 'All records'
            else upper(substring(record_noun, 1, 1)) || substring(record_noun, 2) || ' records'
        end as records_text
    from worded

),

final as (

    select
        rule_key,
        system_key,
        record_type,
        data_subject,
        anchor_words as anchor,
        period,
        period_months,
        period_days,
        period_source,
        period_text,
        action,
        basis,
        case
            when period_source = 'fixed' and period is null
                then records_text || ': no retention period set'
            else
                {{ dbt.concat([
                    "records_text",
                    "': kept for '",
                    "period_text",
                    "' after '",
                    "anchor_words",
                    "coalesce(', then ' || action_text, '')",
                ]) }}
        end as rule_text,
        _source_file,
        _source_line
    from described

)

select * from final
