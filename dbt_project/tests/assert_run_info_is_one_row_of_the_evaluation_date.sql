-- run_info has exactly one row, and its as_of is the date the models evaluate on (as_of_date()).
-- Fails with the row count and the dates when not.
with

run_info as (

    select * from {{ ref('run_info') }}

),

summary as (

    select
        count(*) as run_info_rows,
        min(as_of) as run_info_as_of,
        {{ as_of_date() }} as models_as_of
    from run_info

)

select * from summary
where run_info_rows != 1 or run_info_as_of != models_as_of
