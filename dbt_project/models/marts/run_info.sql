-- The run that built this warehouse, exactly one row: what the loader recorded in raw.run_info.
-- Readers (pack, dashboard, `ropa findings`) take the run's identity and evaluation date from here;
-- models take the date from var('as_of') through as_of_date(), which a test holds equal to this
-- row's as_of.
with

run_info as (

    select * from {{ ref('stg_drop__run_info') }}

),

final as (

    select
        cast(run_id as varchar) as run_id,
        cast(as_of as date) as as_of,
        cast(drop_fingerprint as varchar) as drop_fingerprint,
        cast(started_at as timestamp) as started_at,
        cast(pseudonym_key_fingerprint as varchar) as pseudonym_key_fingerprint
    from run_info

)

select * from final
