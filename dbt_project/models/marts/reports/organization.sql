-- The organisation (exactly one row): the controller's own contacts, Art. 30(1)(a).
with

organizations as (

    select * from {{ ref('stg_drop__organizations') }}

),

final as (

    select
        organization_key,
        name,
        description,
        controller_name,
        controller_address,
        controller_email,
        controller_phone,
        dpo_name,
        dpo_address,
        dpo_email,
        dpo_phone,
        representative_name,
        representative_address,
        representative_email,
        representative_phone,
        security_policy
    from organizations

)

select * from final
