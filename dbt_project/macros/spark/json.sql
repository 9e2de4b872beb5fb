{# Spark versions of the JSON access macros (macros/json.sql): JSON is a string column, read with
   get_json_object; arrays are parsed with from_json as arrays of JSON texts (an object element
   stays its JSON text, a scalar its value). #}

{% macro spark__json_text(column, path) -%}
    get_json_object({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro spark__json_text_dynamic(column, key_expr, prefix) -%}
    {%- set base = '$' ~ ('.' ~ prefix.rstrip('.') if prefix else '') -%}
    get_json_object({{ column }}, concat('{{ base }}[\'', {{ key_expr }}, '\']'))
{%- endmacro %}

{% macro spark_json_array(column, path) -%}
    from_json(get_json_object({{ column }}, '$.{{ path }}'), 'array<string>')
{%- endmacro %}

{% macro spark__json_array_elements(column, path) -%}
    explode({{ spark_json_array(column, path) }})
{%- endmacro %}

{% macro spark__json_elem_text(column, key) -%}
    get_json_object({{ column }}, '$.{{ key }}')
{%- endmacro %}

{# Spark allows one generator per select: elements and their positions come from one inline(). #}
{% macro spark__json_array_elements_numbered(column, path, element, position) -%}
    inline(transform(
        {{ spark_json_array(column, path) }},
        (x, i) -> named_struct('{{ element }}', x, '{{ position }}', i + 1)
    ))
{%- endmacro %}

{# The key is never written into SQL: the profile sets it as the session setting
   spark.escalations.hash_key, which Spark substitutes for ${...} when it runs the statement. A
   session without the setting has no key: a Thrift server substitutes an empty text, and a session
   that leaves the ${...} text as it is must not take that text for the key. #}
{% macro spark__keyed_hash(expr) -%}
    case
        when '${spark.escalations.hash_key}' in ('', concat('$', '{spark.escalations.hash_key}'))
            then raise_error('ESCALATIONS_HASH_KEY is not set: there is no default requester hash key (docs/operations.md)')
        else sha2(concat('${spark.escalations.hash_key}', ':', {{ expr }}), 256)
    end
{%- endmacro %}

{# As DuckDB computes it: epoch seconds as doubles, their difference over 60. #}
{% macro spark__minutes_between(start_at, end_at) -%}
    ((unix_micros({{ end_at }}) / 1000000D - unix_micros({{ start_at }}) / 1000000D) / 60D)
{%- endmacro %}

{% macro spark__json_without(column, paths) -%}
    {{ spark_json_without_tree(column, json_path_tree(paths)) }}
{%- endmacro %}

{# Removes the keys of `tree` (nested dicts; none = remove) from the JSON object text `column`,
   written back as JSON text: the object is read as a map of JSON texts (an object or array stays
   its text and is written back as it is, or filtered in turn; a scalar becomes a JSON string,
   which get_json_object reads back as the same text). #}
{% macro spark_json_without_tree(column, tree, depth=0) -%}
    {%- set removed = [] -%}
    {%- set nested = [] -%}
    {%- for key, sub in tree.items() -%}
        {%- if sub is none -%}{%- do removed.append(key) -%}{%- else -%}{%- do nested.append(key) -%}{%- endif -%}
    {%- endfor -%}
    {%- set e = 'e' ~ depth -%}
    case when {{ column }} is not null then concat('{', array_join(transform(
        map_entries(map_filter(
            from_json({{ column }}, 'map<string,string>'),
            (k{{ depth }}, v{{ depth }}) -> not array_contains(array('{{ removed | join("', '") }}'), k{{ depth }})
        )),
        {{ e }} -> concat(
            {{ spark_json_quote(e ~ '.key') }},
            ':',
            case
                when {{ e }}.value is null then 'null'
                {%- for key in nested %}
                when {{ e }}.key = '{{ key }}' and left(ltrim({{ e }}.value), 1) = '{'
                    then {{ spark_json_without_tree(e ~ '.value', tree[key], depth + 1) }}
                {%- endfor %}
                when left(ltrim({{ e }}.value), 1) in ('{', '[') then {{ e }}.value
                else {{ spark_json_quote(e ~ '.value') }}
            end
        )
    ), ','), '}') end
{%- endmacro %}

{# A text as a JSON string literal (quoted and escaped). #}
{% macro spark_json_quote(expr) -%}
    regexp_extract(to_json(array({{ expr }})), '^\\[(.*)\\]$', 1)
{%- endmacro %}
