with

vendors as (

    select * from {{ ref('stg_drop__vendors') }}

),

flows as (

    select * from {{ ref('stg_drop__system_egress_flows') }}

),

countries as (

    select * from {{ ref('countries') }}

),

eea as (

    select * from {{ ref('eea_countries') }}

),

adequacy as (

    select * from {{ ref('adequacy_decisions') }}

),

receiving as (

    select distinct recipient_key as vendor_key
    from flows

),

joined as (

    select
        vendors.vendor_key,
        vendors.legal_name,
        vendors.recipient_category,
        vendors.role,
        vendors.country,
        coalesce(countries.country_name, eea.country_name, adequacy.country_name, vendors.country) as country_name,
        eea.country_code is not null as in_eea,
        eea.country_code is null as is_third_country,
        case when eea.country_code is null then adequacy.scope end as adequacy_scope,
        case when eea.country_code is null then adequacy.decided_on end as adequacy_decided_on,
        case when eea.country_code is null then adequacy.source_url end as adequacy_source_url,
        vendors.transfer_mechanism,
        vendors.dpa_signed_on,
        vendors.dpa_expires_on,
        vendors.tia_completed_on,
        vendors.service_description,
        vendors.contact_email,
        receiving.vendor_key is not null as receives_data,
        -- checks.md: partial decisions (US DPF, Canada) count only with mechanism `adequacy`;
        -- full decisions need no mechanism; `adequacy` without any decision is invalid
        case
            when eea.country_code is not null then true
            when vendors.transfer_mechanism is null then coalesce(adequacy.scope = 'full', false)
            when vendors.transfer_mechanism = 'adequacy' then adequacy.scope is not null
            else true
        end as is_safeguarded,
        case
            when eea.country_code is not null then 'Not a transfer (EEA)'
            when vendors.transfer_mechanism is null and adequacy.scope = 'full'
                then 'Adequacy decision (full, ' || {{ dbt.cast('adequacy.decided_on', dbt.type_string()) }} || ')'
            when vendors.transfer_mechanism is null then 'None'
            when vendors.transfer_mechanism = 'adequacy' and adequacy.scope is null
                then 'Adequacy claimed, but no adequacy decision for the country'
            when vendors.transfer_mechanism = 'adequacy'
                then
                    'Adequacy decision (' || adequacy.scope || ', '
                    || {{ dbt.cast('adequacy.decided_on', dbt.type_string()) }} || ')'
            when vendors.transfer_mechanism = 'scc' then 'Standard contractual clauses (Art. 46(2)(c))'
            when vendors.transfer_mechanism = 'bcr' then 'Binding corporate rules (Art. 47)'
            when vendors.transfer_mechanism = 'derogation' then 'Derogation (Art. 49)'
            else vendors.transfer_mechanism
        end as safeguard,
        vendors._source_file,
        vendors._source_line
    from vendors
    left join countries
        on vendors.country = countries.country_code
    left join eea
        on vendors.country = eea.country_code
    left join adequacy
        on vendors.country = adequacy.country_code
    left join receiving
        on vendors.vendor_key = receiving.vendor_key

),

-- The DPA and TIA status, decided once for the audit checks, the marts, the pack and the
-- dashboard. checks.md: a DPA is required of a processor or sub-processor that receives data
-- (vendor.dpa_missing); an expired DPA counts for every vendor (vendor.dpa_expired).
contracts as (

    select
        *,
        coalesce(role in ('processor', 'sub_processor'), false) and receives_data as dpa_required,
        coalesce(dpa_expires_on < {{ as_of_date() }}, false) as dpa_expired
    from joined

),

final as (

    select
        *,
        case
            when dpa_required and dpa_signed_on is null then 'missing'
            when dpa_expired then 'expired'
            when not dpa_required then 'not required'
            else 'signed'
        end as dpa_status,
        -- a transfer needs an impact assessment when data leaves the EEA for a country without a
        -- full adequacy decision; a vendor that receives nothing has no transfer
        case
            when in_eea or adequacy_scope = 'full' or not receives_data then 'not needed'
            when tia_completed_on is null then 'missing'
            else 'done'
        end as tia_status
    from contracts

)

select * from final
