-- Every data category with each of its ancestors (itself included), walking parent_key of the
-- taxonomy (fideslang default and the drop's own terms). Two categories match (exports.md,
-- "Recipients of an activity") when one is an ancestor of the other.
with recursive

terms as (

    select
        taxonomy_key,
        parent_key
    from {{ ref('int_taxonomy_terms_unioned') }}
    where taxonomy_type = 'data_category'

),

lineage as (

    select
        taxonomy_key as data_category,
        taxonomy_key as ancestor_key,
        parent_key as next_key,
        0 as steps
    from terms

    union all

    select
        lineage.data_category,
        terms.taxonomy_key as ancestor_key,
        terms.parent_key as next_key,
        lineage.steps + 1 as steps
    from lineage
    inner join terms
        on lineage.next_key = terms.taxonomy_key
    -- a cycle in a custom taxonomy cannot loop for ever
    where lineage.steps < 32

),

final as (

    select distinct
        data_category,
        ancestor_key
    from lineage

)

select * from final
