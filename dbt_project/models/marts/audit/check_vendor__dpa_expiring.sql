-- vendor.dpa_expiring: a DPA that expires on or after the evaluation date and at most the
-- policy's dpa_renewal_notice_days (default 60, applied at load) after it, every vendor
-- (receiving data or not, like vendor.dpa_expired). A DPA expiring on the evaluation date is
-- expiring, not expired.
{% set as_of = as_of_date() %}
{% set days_left = dbt.datediff(as_of, 'vendors.dpa_expires_on', 'day') %}
with

vendors as (

    select * from {{ ref('int_vendors_enriched') }}

),

policies as (

    select * from {{ ref('stg_drop__policies') }}

),

windowed as (

    select
        vendors.vendor_key,
        vendors.dpa_expires_on,
        {{ days_left }} as days_left,
        policies.dpa_renewal_notice_days
    from vendors
    cross join policies
    where vendors.dpa_expires_on is not null

),

final as (

    select
        vendor_key as vendor,
        cast(1 as bigint) as failing_count,
        {{ format_message('the DPA with {} expires on {} ({}), within the {}-day renewal notice', [
            "vendor_key",
            dbt.cast('dpa_expires_on', dbt.type_string()),
            "case when days_left = 0 then 'today' when days_left = 1 then 'in 1 day'"
            ~ " else 'in ' || " ~ dbt.cast('days_left', dbt.type_string()) ~ " || ' days' end",
            "dpa_renewal_notice_days",
        ]) }} as message
    from windowed
    where days_left between 0 and dpa_renewal_notice_days

)

select * from final
