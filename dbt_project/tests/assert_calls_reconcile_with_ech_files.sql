-- Calls reconcile with the Avaya ECH files: every record read from avaya/ech/*.csv was loaded,
-- quarantined or superseded (raw._ingested_files, per file), every segment in raw came from an
-- ingested file, and every raw segment is counted in exactly one call of fct_calls (as many calls
-- as distinct calls among the segments). One row per difference.
{%- set ingested = api.Relation.create(
    database=source('avaya', 'avaya_ech').database,
    schema=source('avaya', 'avaya_ech').schema,
    identifier='_ingested_files',
) %}
with files as (
    select
        source_file,
        records_read,
        records_loaded + records_quarantined + records_superseded as records_accounted
    from {{ ingested }}
    where source_table = 'avaya_ech'
),

raw_segments as (
    select
        count(*) as segments,
        sum(case when _source_file not in (select source_file from files) then 1 else 0 end) as from_unknown_files
    from {{ source('avaya', 'avaya_ech') }}
),

calls as (
    select
        coalesce(sum(segments), 0) as segments,
        count(*) as calls
    from {{ ref('fct_calls') }}
),

staged as (
    select count(distinct coalesce(ucid, cast(callid as {{ dbt.type_string() }}))) as calls
    from {{ ref('stg_avaya__call_segments') }}
)

select
    'file does not reconcile: ' || source_file as difference,
    records_read as expected,
    records_accounted as actual
from files
where records_read != records_accounted
union all
select
    'raw segments from files never ingested' as difference,
    0 as expected,
    from_unknown_files as actual
from raw_segments
where from_unknown_files > 0
union all
select
    'segments in fct_calls' as difference,
    r.segments as expected,
    c.segments as actual
from raw_segments as r
cross join calls as c
where r.segments != c.segments
union all
select
    'calls in fct_calls' as difference,
    s.calls as expected,
    c.calls as actual
from staged as s
cross join calls as c
where s.calls != c.calls
