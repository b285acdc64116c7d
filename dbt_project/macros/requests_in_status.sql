{#- The request checks count requests of one status by type; status itself is decided once,
    in int_privacy_requests_evaluated. `wording` ends the message ("completed after the due date"). -#}
{% macro requests_in_status(status, wording) %}
with

requests as (

    select * from {{ ref('int_privacy_requests_evaluated') }}

),

failing as (

    select
        request_type,
        cast(count(*) as bigint) as failing_count
    from requests
    where status = '{{ status }}'
    group by request_type

),

final as (

    select
        request_type,
        failing_count,
        {{ format_message('{:,} {} {} ' ~ wording, [
            "failing_count",
            "request_type",
            "case when failing_count = 1 then 'request' else 'requests' end",
        ]) }} as message
    from failing

)

select * from final
{% endmacro %}
