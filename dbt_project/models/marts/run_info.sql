-- The run that built this warehouse, exactly one row: what the loader recorded in raw.run_info.
-- Readers (pack, dashboard, `ropa findings`) take the run's identity and evaluation date from here;
-- models take the date through as_of_date() (this row's as_of, or var('as_of') when dbt gets it),
-- which a test holds equal to this row's as_of.
with

run_info as (

    select * from {{ ref('stg_drop__run_info') }}

),

final as (

    select
        {{ dbt.cast('run_id', dbt.type_string()) }} as run_id,
        {{ dbt.cast('as_of', 'date') }} as as_of,
        {{ dbt.cast('drop_fingerprint', dbt.type_string()) }} as drop_fingerprint,
        {{ dbt.cast('started_at', dbt.type_timestamp()) }} as started_at,
        {{ dbt.cast('pseudonym_key_fingerprint', dbt.type_string()) }} as pseudonym_key_fingerprint
    from run_info

)

select * from final
