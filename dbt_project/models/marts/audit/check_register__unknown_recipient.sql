-- register.unknown_recipient: an egress target that is neither a vendor nor a system
-- (count 1: the system → recipient flow is the failing item).
with

egress_flows as (

    select * from {{ ref('stg_drop__system_egress_flows') }}

),

vendors as (

    select * from {{ ref('stg_drop__vendors') }}

),

systems as (

    select * from {{ ref('stg_drop__systems') }}

),

flows as (

    select distinct
        system_key,
        recipient_key
    from egress_flows

),

failing as (

    select
        flows.system_key as system,
        flows.recipient_key as recipient
    from flows
    where
        not exists (
            select 1 from vendors
            where vendors.vendor_key = flows.recipient_key
        )
        and not exists (
            select 1 from systems
            where systems.system_key = flows.recipient_key
        )

),

final as (

    select
        system,
        recipient,
        cast(1 as bigint) as failing_count,
        {{ format_message('system {} sends data to {}, which is neither a vendor nor a system', [
            "system",
            "recipient",
        ]) }}
            as message
    from failing

)

select * from final
