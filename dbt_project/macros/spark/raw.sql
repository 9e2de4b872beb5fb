{#
  Spark's raw layer: register the Parquet folders escalations.engines.spark_raw wrote
  (`<directory>/<schema>/<table>/`) as external tables of Spark's metastore, replacing any table
  of the same name. `tables`: "schema.table" names; default every raw source of the project.
    dbt run-operation register_raw_tables --args '{directory: /abs/raw_parquet}'
#}
{% macro register_raw_tables(directory, tables=none) -%}
    {%- if tables is none -%}
        {%- set tables = [] -%}
        {%- for source in graph.sources.values() | sort(attribute='unique_id') -%}
            {%- set name = source.schema ~ '.' ~ source.identifier -%}
            {%- if source.schema == 'raw' and name not in tables -%}{%- do tables.append(name) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set schemas = [] -%}
    {%- for name in tables -%}
        {%- set schema = name.split('.')[0] -%}
        {%- if schema not in schemas -%}
            {%- do schemas.append(schema) -%}
            {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- endif -%}
        {%- set location = (directory.rstrip('/') ~ '/' ~ name.replace('.', '/')).replace("'", "\\'") -%}
        {%- do run_query('drop table if exists ' ~ name) -%}
        {%- do run_query("create table " ~ name ~ " using parquet location '" ~ location ~ "'") -%}
    {%- endfor -%}
    {{ log('registered ' ~ (tables | length) ~ ' Parquet tables from ' ~ directory, info=true) }}
{%- endmacro %}
