with

default_terms as (

    select * from {{ ref('fideslang_taxonomy') }}

),

custom_terms as (

    select * from {{ ref('stg_drop__custom_taxonomy_terms') }}

),

unioned as (

    select
        taxonomy_type,
        taxonomy_key,
        name,
        description,
        parent_key,
        true as is_custom
    from custom_terms

    union all

    select
        taxonomy_type,
        taxonomy_key,
        name,
        description,
        parent_key,
        false as is_custom
    from default_terms

),

ranked as (

    select
        *,
        -- a custom term that redefines a default key wins
        row_number() over (
            partition by taxonomy_type, taxonomy_key
            order by case when is_custom then 0 else 1 end
        ) as term_rank
    from unioned

),

final as (

    select
        taxonomy_type,
        taxonomy_key,
        coalesce(name, taxonomy_key) as name,
        description,
        parent_key,
        is_custom
    from ranked
    where term_rank = 1

)

select * from final
