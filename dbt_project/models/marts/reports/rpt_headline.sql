-- The overview's headline counts: one row.
with

controller_records as (

    select * from {{ ref('ropa_controller') }}

),

processor_records as (

    select * from {{ ref('ropa_processor') }}

),

data_map as (

    select * from {{ ref('data_map') }}

),

recipients as (

    select * from {{ ref('recipients') }}

),

transfers as (

    select * from {{ ref('transfers') }}

),

load_files as (

    select * from {{ ref('load_files') }}

),

retention_schedule as (

    select * from {{ ref('retention_schedule') }}

),

activities as (

    select activity_key from controller_records
    union
    select activity_key from processor_records

),

systems as (

    select system_key from controller_records
    union
    select system_key from processor_records
    union
    select system_key from data_map

),

activity_count as (

    select {{ dbt.cast('count(*)', 'bigint') }} as activities from activities

),

system_count as (

    select {{ dbt.cast('count(*)', 'bigint') }} as systems from systems

),

vendor_count as (

    select {{ dbt.cast('count(*)', 'bigint') }} as vendors from recipients

),

country_count as (

    select {{ dbt.cast('count(distinct country)', 'bigint') }} as third_countries from transfers

),

-- records are the files under `records/` of the drop (exports.md)
records_held as (

    select {{ dbt.cast('coalesce(sum(rows_loaded), 0)', 'bigint') }} as records_held
    from load_files
    where source_file like 'records/%'

),

records_overdue as (

    select {{ dbt.cast('coalesce(sum(records_overdue), 0)', 'bigint') }} as records_overdue
    from retention_schedule

),

final as (

    select
        activity_count.activities,
        system_count.systems,
        vendor_count.vendors,
        country_count.third_countries,
        records_held.records_held,
        records_overdue.records_overdue
    from activity_count
    cross join system_count
    cross join vendor_count
    cross join country_count
    cross join records_held
    cross join records_overdue

)

select * from final
