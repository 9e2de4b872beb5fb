{#
  The incremental nightly path.

  A nightly build rebuilds only what the records loaded since the last build touch:
  - Staging of the per-escalation vendor tables (tickets, cases, audits, metric events, histories,
    milestones, ratings) are tables, not views, that parse only the raw records loaded since the
    last build (replacing the rows of a record that came again in a newer version). As views,
    each of their three to six readers parsed every raw JSON record again on every build.
  - `int_escalations__touched` lists the escalations with such records, plus every escalation
    whose rows the as-of instant moves (still open, or with an SLA clock not yet fulfilled).
  - Per-escalation models (tag `per_escalation`) delete the touched escalations' rows and insert
    them rebuilt, reading only the touched escalations' rows of their inputs (`scoped_ref`).
  - Aggregates (KPIs, bottlenecks, drivers, alerts...) rebuild whole from the complete facts.

  The watermark is the instant the last build had loaded through, kept per incremental model in
  `<intermediate>._incremental_state` by each model's post-hook (no further than its incremental
  parents covered, so a partial run records no more than it saw). A build scopes only when every
  incremental model recorded one under the same fingerprint (the project's models, seeds, macros
  and the vars they read), the as-of instant did not go back, and no shared record (schedules,
  policies, groups, pipelines) changed since; it continues from the oldest of them, so a build
  that failed half-way is redone by the next. Otherwise every incremental model is rebuilt from
  scratch (`should_full_refresh` below: the same as `dbt build --full-refresh`).
#}

{# Raw tables whose records belong to one escalation each; the other raw tables are shared. #}
{% macro per_escalation_sources() -%}
    {{ return([
        ('zendesk', 'zendesk_tickets'),
        ('zendesk', 'zendesk_ticket_metric_events'),
        ('zendesk', 'zendesk_ticket_audits'),
        ('zendesk', 'zendesk_satisfaction_ratings'),
        ('salesforce', 'salesforce_case'),
        ('salesforce', 'salesforce_case_history'),
        ('salesforce', 'salesforce_case_milestone'),
        ('hubspot', 'hubspot_tickets'),
    ]) }}
{%- endmacro %}

{# People (agents, owners): a changed one touches the escalations that name them (new ones come
   every night with their first tickets). #}
{% macro people_sources() -%}
    {{ return([('zendesk', 'zendesk_users'), ('salesforce', 'salesforce_user'), ('hubspot', 'hubspot_owners')]) }}
{%- endmacro %}

{# Raw tables shared by many escalations (groups, schedules, policies, holidays, pipelines): a
   change to one recomputes every escalation. #}
{% macro shared_sources() -%}
    {{ return([
        ('zendesk', 'zendesk_groups'),
        ('zendesk', 'zendesk_schedules'),
        ('zendesk', 'zendesk_sla_policies'),
        ('salesforce', 'salesforce_business_hours'),
        ('salesforce', 'salesforce_holiday'),
        ('hubspot', 'hubspot_pipelines'),
    ]) }}
{%- endmacro %}

{# Raw tables feeding only aggregates that rebuild whole (remediation plans, incidents). #}
{% macro aggregate_only_sources() -%}
    {{ return([('jira', 'jira_issues'), ('pagerduty', 'pagerduty_incidents'), ('pagerduty', 'pagerduty_log_entries')]) }}
{%- endmacro %}

{# The bookkeeping tables beside the watermark model: `_incremental_state` (per model, what it
   covered) and `_incremental_displaced` (escalations whose staged rows a newer record replaced). #}
{% macro incremental_table(name) -%}
    {%- set watermark = ref('int_incremental__watermark') -%}
    {{ return(api.Relation.create(database=watermark.database, schema=watermark.schema, identifier=name)) }}
{%- endmacro %}

{# What the incremental models' results depend on besides the records: when it changes, the next
   build recomputes everything. #}
{% macro incremental_fingerprint() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.resource_type in ('model', 'seed') -%}
            {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name, macro in escalation_warehouse.items() | sort -%}
        {%- do parts.append(name ~ '=' ~ local_md5(macro.macro.macro_sql)) -%}
    {%- endfor -%}
    {%- do parts.append('hash_key=' ~ local_md5('escalations-hash-key:' ~ var('hash_key'))) -%}
    {%- for name in ('calendar_days_before', 'calendar_days_after') -%}
        {%- do parts.append(name ~ '=' ~ var(name)) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('\n'))) }}
{%- endmacro %}

{# Names of the models that keep a watermark (incremental and tagged incremental_state). #}
{% macro incremental_state_models() -%}
    {%- set names = [] -%}
    {%- if not execute -%}
        {{ return(names) }}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and 'incremental_state' in node.tags -%}
            {%- do names.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{%- endmacro %}

{# A unit test gives a model only its own inputs: it builds as a whole, without the bookkeeping. #}
{% macro in_unit_test() -%}
    {{ return(model is mapping and model.get('resource_type') == 'unit_test') }}
{%- endmacro %}

{# dbt's own decision, plus: an incremental model (tag incremental_state) rebuilds from scratch,
   as with --full-refresh, when the watermark says this build cannot continue the last one (so a
   code change that changes a model's columns rebuilds it instead of failing). #}
{% macro should_full_refresh() -%}
    {%- set builtin = dbt.should_full_refresh() -%}
    {%- if builtin or not execute or in_unit_test() or 'incremental_state' not in model.get('tags', []) -%}
        {{ return(builtin) }}
    {%- endif -%}
    {%- if incremental_rebuilds_whole() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set watermark = ref('int_incremental__watermark') -%}
    {%- if adapter.get_relation(watermark.database, watermark.schema, watermark.identifier) is none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set result = run_query('select previous_loaded_through is null from ' ~ watermark) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{# True when this build of the current model scopes to new records and touched escalations. #}
{% macro is_scoped() -%}
    {%- if in_unit_test() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set watermark = ref('int_incremental__watermark') -%}
    {{ return(execute and is_incremental()) }}
{%- endmacro %}

{% macro previous_loaded_through() -%}
    (select previous_loaded_through from {{ ref('int_incremental__watermark') }})
{%- endmacro %}

{# The materialization of the models below is set in dbt_project.yml, with every other model's:
   a model using their config must be listed there as incremental, or its scoped build would
   silently become a whole rebuild. #}
{% macro require_incremental(config_macro) -%}
    {%- if execute and not in_unit_test() and config.get('materialized') != 'incremental' -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ " uses " ~ config_macro ~ " but is materialized as '" ~ config.get('materialized')
            ~ "': list it with {+materialized: incremental} under its folder in dbt_project.yml"
        ) }}
    {%- endif -%}
{%- endmacro %}

{# Config of a staging model of a per-escalation raw table: an incremental table (dbt_project.yml)
   whose rows carry the raw record's `_record_id`, `_loaded_at` and `escalation_key`. #}
{% macro staging_incremental_config(source_name, table_name) -%}
    {%- if not in_unit_test() -%}
        {%- set watermark = ref('int_incremental__watermark') -%}
    {%- endif -%}
    {{- require_incremental('staging_incremental_config') -}}
    {%- set args = "'" ~ source_name ~ "', '" ~ table_name ~ "'" -%}
    {{ config(
        incremental_strategy='append',
        tags=['incremental_state'],
        pre_hook=[
            "{{ note_displaced_escalations(" ~ args ~ ") }}",
            "{{ delete_reloaded_records(" ~ args ~ ") }}",
        ],
        post_hook=record_incremental_state_hooks(),
    ) }}
{%- endmacro %}

{# The raw records this build stages: all of them, or those loaded since the watermark. #}
{% macro new_raw_records(source_name, table_name, alias='raw_records') -%}
    {%- if is_scoped() -%}
        (select * from {{ source(source_name, table_name) }} where _loaded_at > {{ previous_loaded_through() }}) as {{ alias }}
    {%- else -%}
        {{ source(source_name, table_name) }} as {{ alias }}
    {%- endif -%}
{%- endmacro %}

{% macro reloaded_record_ids(source_name, table_name) -%}
    (select id from {{ source(source_name, table_name) }} where _loaded_at > {{ previous_loaded_through() }})
{%- endmacro %}

{# The escalations whose staged rows are about to be replaced: a newer version may name another
   escalation, or unnest to no rows at all, and the old escalation must still be rebuilt. #}
{% macro note_displaced_escalations(source_name, table_name) -%}
    {%- if is_scoped() -%}
        insert into {{ incremental_table('_incremental_displaced') }} (escalation_key, loaded_through)
        select distinct s.escalation_key, w.loaded_through
        from {{ this }} as s
        cross join {{ ref('int_incremental__watermark') }} as w
        where s._record_id in {{ reloaded_record_ids(source_name, table_name) }}
    {%- endif -%}
{%- endmacro %}

{% macro delete_reloaded_records(source_name, table_name) -%}
    {%- if is_scoped() -%}
        delete from {{ this }} where _record_id in {{ reloaded_record_ids(source_name, table_name) }}
    {%- endif -%}
{%- endmacro %}

{# Config of a per-escalation model (incremental in dbt_project.yml): the touched escalations' rows
   are deleted, then rebuilt. #}
{% macro per_escalation_config(unique_key=none, post_hook=[]) -%}
    {%- if not in_unit_test() -%}
        {%- set watermark = ref('int_incremental__watermark') -%}
        {%- set touched = ref('int_escalations__touched') -%}
    {%- endif -%}
    {{- require_incremental('per_escalation_config') -}}
    {{ config(
        incremental_strategy=per_escalation_strategy(unique_key),
        unique_key=unique_key,
        tags=['per_escalation', 'incremental_state'],
        pre_hook="{{ delete_touched_escalations() }}",
        post_hook=post_hook + record_incremental_state_hooks(),
    ) }}
{%- endmacro %}

{% macro delete_touched_escalations() -%}
    {%- if is_scoped() -%}
        delete from {{ this }} where escalation_key in (select escalation_key from {{ ref('int_escalations__touched') }})
    {%- endif -%}
{%- endmacro %}

{# A per-escalation input of a per-escalation model: in a scoped build, only the touched
   escalations' rows. (The touched list is referenced on every parse, so dbt orders it first.)
   `alias`: the name the model reads it by (`scoped_ref('x', 'a')` for `x as a`); in a scoped build,
   a subquery, named `alias` or else the model's name (Postgres needs a name for every subquery). #}
{% macro scoped_ref(model_name, alias=none) -%}
    {%- if not in_unit_test() -%}
        {%- set touched = ref('int_escalations__touched') -%}
    {%- endif -%}
    {%- if is_scoped() -%}
        (select * from {{ ref(model_name) }} where escalation_key in (select escalation_key from {{ touched }})) as {{ alias or model_name }}
    {%- elif alias -%}
        {{ ref(model_name) }} as {{ alias }}
    {%- else -%}
        {{ ref(model_name) }}
    {%- endif -%}
{%- endmacro %}

{% macro record_incremental_state_hooks() -%}
    {{ return(adapter.dispatch('record_incremental_state_hooks', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__record_incremental_state_hooks() -%}
    {{ return(["{{ forget_incremental_state() }}", "{{ record_incremental_state() }}"]) }}
{%- endmacro %}

{# True on an engine whose incremental models rebuild whole on every build (Spark's Parquet
   tables refuse DELETE; macros/spark/incremental.sql): no scoping, no bookkeeping. #}
{% macro incremental_rebuilds_whole() -%}
    {{ return(adapter.dispatch('incremental_rebuilds_whole', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__incremental_rebuilds_whole() -%}
    {{ return(false) }}
{%- endmacro %}

{# How a per-escalation model replaces the touched escalations' rows. #}
{% macro per_escalation_strategy(unique_key) -%}
    {{ return(adapter.dispatch('per_escalation_strategy', 'escalation_warehouse')(unique_key)) }}
{%- endmacro %}

{% macro default__per_escalation_strategy(unique_key) -%}
    {{ return('delete+insert' if unique_key else 'append') }}
{%- endmacro %}

{# The watermark's post-hook: escalations displaced before the last build's watermark are done
   with (`this` is the watermark). #}
{% macro forget_displaced_escalations() -%}
    {{ return(adapter.dispatch('forget_displaced_escalations', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__forget_displaced_escalations() -%}
    delete from {{ this.schema }}._incremental_displaced
        where loaded_through <= coalesce((select previous_loaded_through from {{ this }}), '-infinity')
{%- endmacro %}

{% macro forget_incremental_state() -%}
    delete from {{ incremental_table('_incremental_state') }} where model = '{{ this.name }}'
{%- endmacro %}

{# What this model now covers: the records loaded through the watermark, but no further than its
   incremental parents covered (in a partial run, a parent that did not run covers less), and
   nothing (null) when a parent has no watermark. The next build continues from the oldest. The
   fingerprint is the watermark's, computed once per build (a watermark left from an older build
   holds an older one, which makes the next build recompute everything: the safe side). #}
{% macro record_incremental_state() -%}
    {%- set state = incremental_table('_incremental_state') -%}
    {%- set parents = [] -%}
    {%- for node_id in model.depends_on.nodes -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node is not none and 'incremental_state' in node.tags and node.name not in parents -%}
            {%- do parents.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    insert into {{ state }} (model, loaded_through, fingerprint, as_of)
    select
        '{{ this.name }}',
        {%- if parents %}
        case when p.complete then least(w.loaded_through, p.loaded_through) end,
        {%- else %}
        w.loaded_through,
        {%- endif %}
        w.fingerprint,
        {{ as_of() }}
    from {{ ref('int_incremental__watermark') }} as w
    {%- if parents %}
    cross join (
        select
            count(distinct model) = {{ parents | length }} and count(loaded_through) = count(*) as complete,
            min(loaded_through) as loaded_through
        from {{ state }}
        where model in ('{{ parents | join("', '") }}')
    ) as p
    {%- endif %}
{%- endmacro %}

{# Post-hook of a per-escalation model with an `as_of` column: the rows a scoped build kept carry
   the last build's as-of instant, and take this build's. #}
{% macro restamp_as_of() -%}
    {{ return(adapter.dispatch('restamp_as_of', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__restamp_as_of() -%}
    update {{ this }} set as_of = {{ as_of() }} where as_of != {{ as_of() }}
{%- endmacro %}
