-- cookies.unknown_vendor: a cookie whose vendor_key is not in vendors.csv; count = scan rows.
with

cookies as (

    select * from {{ ref('stg_drop__cookies') }}

),

vendors as (

    select * from {{ ref('stg_drop__vendors') }}

),

failing as (

    select
        cookies.cookie_name as cookie,
        cast(count(*) as bigint) as failing_count,
        string_agg(distinct cookies.vendor_key, ', ' order by cookies.vendor_key) as vendor_keys
    from cookies
    where cookies.vendor_key is not null
        and not exists (select 1 from vendors where vendors.vendor_key = cookies.vendor_key)
    group by cookies.cookie_name

),

final as (

    select
        cookie,
        failing_count,
        format('cookie {} names vendor {}, missing from vendors.csv', cookie, vendor_keys) as message
    from failing

)

select * from final
