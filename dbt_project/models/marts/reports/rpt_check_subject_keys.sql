-- The subject keys of each audit check (the audit_checks seed's `;`-separated subject_keys), one
-- row per key in checks.md's order: the columns of marts.findings that name the check's subjects.
with

audit_checks as (

    select * from {{ ref('audit_checks') }}

),

split as (

    select
        check_name,
        {{ split_text('subject_keys', ';') }} as subject_keys
    from audit_checks

),

keys as (

    select
        check_name,
        {{ unnest_with_position('subject_keys', 'key_position', 'subject_key') }}
    from split

),

final as (

    select
        check_name,
        {{ dbt.cast('key_position', 'integer') }} as key_position,
        trim(subject_key) as subject_key
    from keys

)

select * from final
