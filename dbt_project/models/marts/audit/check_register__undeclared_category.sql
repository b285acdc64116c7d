-- register.undeclared_category: a category carried by a field of one of the system's datasets
-- that none of the system's activities declares; a declared category covers those below it.
-- The system's datasets: its own `dataset_references` and those of any of its declarations.
-- count = the dataset fields (dataset, collection, field path) carrying the category.
with

system_level_datasets as (

    select
        system_key,
        dataset_key
    from {{ ref('stg_drop__system_datasets') }}

),

declaration_datasets as (

    select
        declarations.system_key,
        activity_datasets.dataset_key
    from {{ ref('stg_drop__activity_datasets') }} as activity_datasets
    inner join {{ ref('stg_drop__processing_activities') }} as declarations
        on activity_datasets.activity_key = declarations.activity_key

),

system_datasets as (

    select * from system_level_datasets
    union
    select * from declaration_datasets

),

dataset_fields as (

    select * from {{ ref('stg_drop__dataset_fields') }}

),

activities as (

    select * from {{ ref('stg_drop__processing_activities') }}

),

activity_categories as (

    select * from {{ ref('stg_drop__activity_data_categories') }}

),

system_field_categories as (

    select distinct
        system_datasets.system_key,
        dataset_fields.data_category,
        dataset_fields.dataset_key,
        dataset_fields.collection_name,
        dataset_fields.field_path
    from system_datasets
    inner join dataset_fields
        on system_datasets.dataset_key = dataset_fields.dataset_key
    where dataset_fields.data_category is not null

),

declared_categories as (

    select distinct
        activities.system_key,
        activity_categories.data_category
    from activities
    inner join activity_categories
        on activities.activity_key = activity_categories.activity_key

),

undeclared as (

    select *
    from system_field_categories
    where not exists (
        select 1 from declared_categories
        where
            declared_categories.system_key = system_field_categories.system_key
            and (
                declared_categories.data_category = system_field_categories.data_category
                or {{ text_starts_with(
                    'system_field_categories.data_category', "declared_categories.data_category || '.'"
                ) }}
            )
    )

),

failing as (

    select
        system_key as system,
        data_category as category,
        cast(count(*) as bigint) as failing_count
    from undeclared
    group by system_key, data_category

),

final as (

    select
        system,
        category,
        failing_count,
        {{ format_message('{} on {:,} dataset {} of {}, declared by none of its activities', [
            "category",
            "failing_count",
            "case when failing_count = 1 then 'field' else 'fields' end",
            "system",
        ]) }} as message
    from failing

)

select * from final
