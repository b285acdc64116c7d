-- The subject keys of each audit check (the audit_checks seed's `;`-separated subject_keys), one
-- row per key in checks.md's order: the columns of marts.findings that name the check's subjects.
with

audit_checks as (

    select * from {{ ref('audit_checks') }}

),

split as (

    select
        check_name,
        string_split(subject_keys, ';') as subject_keys
    from audit_checks

),

final as (

    select
        check_name,
        {{ dbt.cast('generate_subscripts(subject_keys, 1)', 'integer') }} as key_position,
        trim(unnest(subject_keys)) as subject_key
    from split

)

select * from final
