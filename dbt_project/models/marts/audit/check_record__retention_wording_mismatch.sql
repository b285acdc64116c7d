-- record.retention_wording_mismatch: an activity whose retention_period wording states at least
-- one duration and none of them equals the period of a retention rule of its system (checks.md,
-- "Wording against rule"). A duration is an ISO 8601 duration (P1Y, P2Y6M, P4W, P30D, upper
-- case as ISO writes it) or a number (digits, one..twenty, a/an) and a unit in words
-- (day/week/month/year, singular or plural, any case). Durations compare as months and days,
-- years being 12 months and weeks 7 days: P1Y = 12 months, 365 days is not one year.
-- Wording without a duration, and a system without a `period_source: fixed` rule, never fail.
{% set number_words = [
    'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
    'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
    'twenty',
] %}
{% set words_pattern = '\\b([0-9]+|' ~ number_words | join('|') ~ '|an|a)\\s+(day|week|month|year)s?\\b' %}
{% set iso_pattern = '\\bP([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?\\b' %}
{% set int_type = api.Column.translate_type('integer') %}
{% set iso_part = {} %}
{% for designator in ['Y', 'M', 'W', 'D'] %}
    {% set digits = "nullif(regexp_extract(stated, '([0-9]+)" ~ designator ~ "', 1), '')" %}
    {% do iso_part.update({designator: 'coalesce(' ~ dbt.cast(digits, int_type) ~ ', 0)'}) %}
{% endfor %}
with

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

retention_rules as (

    select * from {{ ref('stg_drop__retention_rules') }}

),

-- "13 months", "One year", "a year": lower-cased, then split into its number and its unit
words_stated as (

    select
        activity_key,
        {{ unnest_rows(regexp_matches('lower(retention_period)', words_pattern), 'stated') }}
    from activities

),

words_parsed as (

    select
        activity_key,
        stated,
        regexp_extract(stated, '^([a-z0-9]+)', 1) as number_text,
        regexp_extract(stated, '(day|week|month|year)s?$', 1) as unit
    from words_stated

),

words_durations as (

    select
        activity_key,
        stated,
        case unit when 'year' then 12 * amount when 'month' then amount else 0 end as stated_months,
        case unit when 'week' then 7 * amount when 'day' then amount else 0 end as stated_days
    from (
        select
            activity_key,
            stated,
            unit,
            case number_text
                when 'a' then 1
                when 'an' then 1
                {% for word in number_words %}
                    when '{{ word }}' then {{ loop.index }}
                {% endfor %}
                else {{ dbt.cast('number_text', 'bigint') }}
            end as amount
        from words_parsed
    ) as numbered

),

-- "P1Y", "P2Y6M": a bare "P" (every part optional) is not a duration
iso_stated as (

    select
        activity_key,
        {{ unnest_rows(regexp_matches('retention_period', iso_pattern), 'stated') }}
    from activities

),

iso_durations as (

    select
        activity_key,
        stated,
        12 * {{ iso_part['Y'] }} + {{ iso_part['M'] }} as stated_months,
        7 * {{ iso_part['W'] }} + {{ iso_part['D'] }} as stated_days
    from iso_stated
    where stated != 'P'

),

stated_durations as (

    select
        activity_key,
        stated,
        stated_months,
        stated_days
    from words_durations
    union all
    select
        activity_key,
        stated,
        stated_months,
        stated_days
    from iso_durations

),

systems_with_fixed_rule as (

    select distinct system_key
    from retention_rules
    where period_source = 'fixed'

),

rule_periods as (

    select
        system_key,
        period,
        period_months,
        period_days
    from retention_rules
    where period is not null

),

-- an activity fails when no stated duration equals the period of any rule of its system
failing as (

    select stated_durations.activity_key
    from stated_durations
    inner join activities
        on stated_durations.activity_key = activities.activity_key
    left join rule_periods
        on
            activities.system_key = rule_periods.system_key
            and stated_durations.stated_months = rule_periods.period_months
            and stated_durations.stated_days = rule_periods.period_days
    group by stated_durations.activity_key
    having count(rule_periods.system_key) = 0

),

system_periods as (

    select
        system_key,
        {{ dbt.listagg('period', "', '", 'order by period') }} as periods
    from (
        select distinct
            system_key,
            period
        from rule_periods
    ) as distinct_periods
    group by system_key

),

final as (

    select
        activities.activity_key as activity,
        cast(1 as bigint) as failing_count,
        {{ format_message('{} keeps data "{}", a duration no retention rule of {} has (its rules: {})', [
            "activities.activity_key",
            "activities.retention_period",
            "activities.system_key",
            "system_periods.periods",
        ]) }} as message
    from activities
    inner join failing
        on activities.activity_key = failing.activity_key
    inner join systems_with_fixed_rule
        on activities.system_key = systems_with_fixed_rule.system_key
    inner join system_periods
        on activities.system_key = system_periods.system_key

)

select * from final
