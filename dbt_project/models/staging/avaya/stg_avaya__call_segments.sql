-- Avaya ECH call segments. Times are the ACD's local wall times (its zone: the avaya_acd seed),
-- turned into instants (a segment across the autumn's repeated hour: macro span_reading);
-- durations are whole seconds. The caller's number never leaves this
-- model: it goes on as the same keyed hash as requesters (`phone:` and its digits) and as its
-- first four digits (the country calling code, for the caller's market; never the number).
with source as (
    select * from {{ source('avaya', 'avaya_ech') }}
),

acd as (
    select time_zone from {{ ref('avaya_acd') }}
),

renamed as (
    select
        id as segment_key,
        cast({{ json_text('record', 'callid') }} as {{ dbt.type_bigint() }}) as callid,
        cast({{ json_text('record', 'segment') }} as {{ dbt.type_int() }}) as segment,
        {{ json_text('record', 'ucid') }} as ucid,
        cast({{ json_text('record', 'segstart') }} as {{ dbt.type_timestamp() }}) as segment_started_local,
        cast({{ json_text('record', 'segstop') }} as {{ dbt.type_timestamp() }}) as segment_stopped_local,
        nullif({{ digits_only(json_text('record', 'calling_pty')) }}, '') as caller_digits,
        {{ json_text('record', 'dialed_num') }} as dialed_number,
        {{ json_text('record', 'dispsplit') }} as split,
        {{ json_text('record', 'firstvdn') }} as first_vdn,
        {{ json_text('record', 'dispvdn') }} as vdn,
        cast({{ json_text('record', 'queuetime') }} as {{ dbt.type_int() }}) as queue_seconds,
        cast({{ json_text('record', 'ringtime') }} as {{ dbt.type_int() }}) as ring_seconds,
        cast({{ json_text('record', 'talktime') }} as {{ dbt.type_int() }}) as talk_seconds,
        cast({{ json_text('record', 'ansholdtime') }} as {{ dbt.type_int() }}) as hold_seconds,
        cast({{ json_text('record', 'acwtime') }} as {{ dbt.type_int() }}) as wrap_seconds,
        nullif({{ json_text('record', 'anslogin') }}, '') as answering_login,
        cast({{ json_text('record', 'call_disp') }} as {{ dbt.type_int() }}) as call_disposition,
        coalesce({{ json_text('record', 'transferred') }} = '1', false) as is_transferred,
        coalesce({{ json_text('record', 'conference') }} = '1', false) as is_conference,
        {{ uui_ticket_ref(json_text('record', 'asai_uui')) }} as ticket_ref,
        _loaded_at
    from source
),

-- each wall time's readings: two in the hour a fall-back repeats, else one (macro local_reading)
readings as (
    select
        r.*,
        {{ local_reading('r.segment_started_local', 'acd.time_zone', 'earlier') }} as started_earlier,
        {{ local_reading('r.segment_started_local', 'acd.time_zone', 'later') }} as started_later,
        {{ local_reading('r.segment_stopped_local', 'acd.time_zone', 'earlier') }} as stopped_earlier,
        {{ local_reading('r.segment_stopped_local', 'acd.time_zone', 'later') }} as stopped_later
    from renamed as r
    cross join acd
)

select
    r.segment_key,
    r.callid,
    r.segment,
    r.ucid,
    r.segment_started_local,
    r.segment_stopped_local,
    {{ span_reading('r.started_earlier', 'r.started_later', 'r.stopped_earlier', 'r.stopped_later', 'start') }}
        as segment_started_at,
    {{ span_reading('r.started_earlier', 'r.started_later', 'r.stopped_earlier', 'r.stopped_later', 'stop') }}
        as segment_stopped_at,
    case when r.caller_digits is not null then {{ keyed_hash("'phone:' || r.caller_digits") }} end as caller_key,
    {{ text_prefix('r.caller_digits', 4) }} as caller_prefix,
    r.dialed_number,
    r.split,
    r.first_vdn,
    r.vdn,
    r.queue_seconds,
    r.ring_seconds,
    r.talk_seconds,
    r.hold_seconds,
    r.wrap_seconds,
    r.answering_login,
    r.call_disposition,
    r.is_transferred,
    r.is_conference,
    r.ticket_ref,
    r._loaded_at
from readings as r
