-- cookies.before_consent: a non-essential cookie set before consent; count = scan rows
-- (one name failing on two domains counts 2).
with

cookies as (

    select * from {{ ref('stg_drop__cookies') }}

),

failing as (

    select
        cookie_name as cookie,
        cast(count(*) as bigint) as failing_count
    from cookies
    where
        set_before_consent
        and purpose != 'strictly_necessary'
    group by cookie_name

),

final as (

    select
        cookie,
        failing_count,
        {{ format_message('cookie {} set before consent on {:,} {}', [
            "cookie",
            "failing_count",
            "case when failing_count = 1 then 'domain' else 'domains' end",
        ]) }} as message
    from failing

)

select * from final
