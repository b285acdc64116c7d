-- cookies.unknown_vendor: a cookie whose vendor_key is not in vendors.csv; count = scan rows.
with

cookies as (

    select * from {{ ref('stg_drop__cookies') }}

),

vendors as (

    select * from {{ ref('stg_drop__vendors') }}

),

unknown as (

    select
        cookies.cookie_name,
        cookies.vendor_key
    from cookies
    where
        cookies.vendor_key is not null
        and not exists (
            select 1 from vendors
            where vendors.vendor_key = cookies.vendor_key
        )

),

unknown_vendor_keys as (

    select distinct
        cookie_name,
        vendor_key
    from unknown

),

vendor_lists as (

    select
        cookie_name,
        {{ dbt.listagg('vendor_key', "', '", 'order by vendor_key') }} as vendor_keys
    from unknown_vendor_keys
    group by cookie_name

),

failing as (

    select
        unknown.cookie_name as cookie,
        cast(count(*) as bigint) as failing_count,
        max(vendor_lists.vendor_keys) as vendor_keys
    from unknown
    inner join vendor_lists
        on unknown.cookie_name = vendor_lists.cookie_name
    group by unknown.cookie_name

),

final as (

    select
        cookie,
        failing_count,
        {{ format_message('cookie {} names vendor {}, missing from vendors.csv', [
            "cookie",
            "vendor_keys",
        ]) }} as message
    from failing

)

select * from final
