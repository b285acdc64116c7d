-- register.legacy_fields: pre-3.0 fideslang fields, by manifest file and top-level resource.
-- The loader read each one as its current field where 3.x has one (a current field wins);
-- the finding names the fields to migrate. Each field counts once, whatever it holds.
with

legacy_fields as (

    select * from {{ ref('stg_drop__register_legacy_fields') }}

),

described as (

    select
        _source_file,
        resource_type,
        resource_key,
        field_name,
        field_name || coalesce(' → ' || read_as, ' (no 3.x equivalent)') as migration
    from legacy_fields

),

failing as (

    select
        _source_file as file,
        resource_key as resource,  -- noqa: RF04
        -- a resource key names one resource: one type
        min(resource_type) as resource_type,
        cast(count(distinct field_name) as bigint) as failing_count,
        {{ dbt.listagg('migration', "'; '", 'order by field_name') }} as migrations
    from described
    group by _source_file, resource_key

),

final as (

    select
        file,
        resource,
        failing_count,
        {{ format_message('{} {} in {} uses {} pre-3.0 fideslang {}: {}', [
            "case when resource_type = 'system' then 'System' else 'Dataset' end",
            "resource",
            "file",
            "failing_count",
            "case when failing_count = 1 then 'field' else 'fields' end",
            "migrations",
        ]) }} as message
    from failing

)

select * from final
