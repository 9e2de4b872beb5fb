{# Spark versions of the time and calendar macros (macros/business_time.sql, macros/calendar.sql).
   Spark's `timestamp` is an instant, shown and truncated in the session zone, which the profile
   sets to UTC; zones are java.time ids. #}

{% macro spark__epoch_s(expr) -%}
    unix_seconds({{ expr }})
{%- endmacro %}

{% macro spark__from_epoch_s(expr) -%}
    timestamp_seconds({{ expr }})
{%- endmacro %}

{% macro spark__local_to_utc(local_ts, zone) -%}
    to_utc_timestamp({{ local_ts }}, {{ zone }})
{%- endmacro %}

{% macro spark__local_date(instant, zone) -%}
    cast(from_utc_timestamp({{ instant }}, {{ zone }}) as date)
{%- endmacro %}

{% macro spark__open_end(expr) -%}
    coalesce({{ expr }}, timestamp'9999-12-31 23:59:59')
{%- endmacro %}

{# As DuckDB rounds a double (macros/business_time.sql round_double): Spark's round() rounds
   the decimal expansion, which can differ in the last place. #}
{% macro spark__round_double(expr, digits) -%}
    {%- set scale = 'cast(1e' ~ digits ~ ' as double)' -%}
    {%- set scaled = 'abs(' ~ expr ~ ') * ' ~ scale -%}
    (sign({{ expr }}) * (floor({{ scaled }})
        + case when {{ scaled }} - floor({{ scaled }}) >= 0.5 then 1 else 0 end) / {{ scale }})
{%- endmacro %}

{# DuckDB's quantile_cont, computed the way it computes it: the sorted values' elements at
   floor and ceil of RN = (n - 1) * p, interpolated (1 - d) * lo + d * hi with d = RN - floor(RN),
   in doubles (checked against DuckDB on 3000 random samples). Spark's percentile() can differ in
   the last place, and the median of two values rounded to 6 decimals, a half at the 7th, then
   rounds the other way. #}
{% macro spark__percentile(expr, p) -%}
    {%- set sorted = 'array_sort(collect_list(cast(' ~ expr ~ ' as double)))' -%}
    {%- set rn = '(cast(count(' ~ expr ~ ') - 1 as double) * cast(' ~ p ~ ' as double))' -%}
    {%- set lo = 'element_at(' ~ sorted ~ ', cast(floor(' ~ rn ~ ') as int) + 1)' -%}
    {%- set hi = 'element_at(' ~ sorted ~ ', cast(ceil(' ~ rn ~ ') as int) + 1)' -%}
    case
        when count({{ expr }}) > 0
            then (1 - ({{ rn }} - floor({{ rn }}))) * {{ lo }} + ({{ rn }} - floor({{ rn }})) * {{ hi }}
    end
{%- endmacro %}

{# dbt.listagg with its order by honoured (dbt-spark's sorts by the values): the values sorted
   with their keys (asc or desc each, nulls last as DuckDB puts them), the first `limit_num`
   joined. `order_by_clause`: "order by a, b desc". #}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set keys = [] -%}
    {%- if order_by_clause -%}
        {%- for part in order_by_clause.strip()[8:].split(',') -%}
            {%- set words = part.strip().split(' ') -%}
            {%- set descending = words[-1] | lower == 'desc' -%}
            {%- set expr = (words[:-1] if words[-1] | lower in ('asc', 'desc') else words) | join(' ') -%}
            {%- do keys.append((expr, descending)) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set values -%}
        transform(
            array_sort(
                collect_list(named_struct(
                    {%- for key in keys %}'k{{ loop.index }}', {{ key[0] }}, {% endfor -%}
                    'v', {{ measure }}
                )),
                (l, r) -> case
                    {%- for key in keys %}
                    {%- set k = 'k' ~ loop.index %}
                    when l.{{ k }} is null and r.{{ k }} is not null then 1
                    when l.{{ k }} is not null and r.{{ k }} is null then -1
                    when l.{{ k }} < r.{{ k }} then {{ 1 if key[1] else -1 }}
                    when l.{{ k }} > r.{{ k }} then {{ -1 if key[1] else 1 }}
                    {%- endfor %}
                    else 0
                end
            ),
            e -> e.v
        )
    {%- endset -%}
    array_join({% if limit_num %}slice({{ values }}, 1, {{ limit_num }}){% else %}{{ values }}{% endif %}, {{ delimiter_text }})
{%- endmacro %}

{# No as-of join on Spark: each period carries where the next one starts, and the lookup is a
   range join on the schedule. #}
{% macro spark__period_at_join(key_expr, at_s, alias, periods) -%}
    left join (
        select
            p.*,
            coalesce(lead(p.start_s) over (partition by p.schedule_key order by p.start_s), 9223372036854775807) as next_start_s
        from {{ periods or ref('int_sla__clock_periods') }} as p
    ) as {{ alias }}
        on {{ key_expr }} = {{ alias }}.schedule_key and {{ at_s }} >= {{ alias }}.start_s and {{ at_s }} < {{ alias }}.next_start_s
{%- endmacro %}

{% macro spark__period_reaching_join(key_expr, open_s, alias, periods) -%}
    left join (
        select
            p.*,
            coalesce(
                lead(p.open_before_s) over (partition by p.schedule_key order by p.open_before_s, p.start_s),
                9223372036854775807
            ) as next_open_before_s
        from {{ periods or ref('int_sla__clock_periods') }} as p
    ) as {{ alias }}
        on {{ key_expr }} = {{ alias }}.schedule_key
        and {{ open_s }} > {{ alias }}.open_before_s
        and {{ open_s }} <= {{ alias }}.next_open_before_s
{%- endmacro %}

{# Generators as lateral from-items: they may refer to earlier items. #}
{% macro spark__day_series(first_day, last_day, alias) -%}
    lateral explode(sequence(cast({{ first_day }} as timestamp), cast({{ last_day }} as timestamp), interval 1 day)) as {{ alias }} (day_start)
{%- endmacro %}

{% macro spark__integer_series(low, high, alias, column) -%}
    lateral explode(sequence({{ low }}, {{ high }})) as {{ alias }} ({{ column }})
{%- endmacro %}

{% macro spark__day_of_week(date_expr) -%}
    (dayofweek({{ date_expr }}) - 1)
{%- endmacro %}

{% macro spark__date_field(part, date_expr) -%}
    cast(extract({{ part }} from {{ date_expr }}) as integer)
{%- endmacro %}

{% macro spark__add_days(date_expr, days) -%}
    date_add({{ date_expr }}, cast({{ days }} as integer))
{%- endmacro %}

{# in microseconds: dbt.dateadd on Spark refuses a null (assert_not_null) #}
{% macro spark__add_hours(ts_expr, hours) -%}
    timestamp_micros(unix_micros({{ ts_expr }}) + cast({{ hours }} as bigint) * 3600000000)
{%- endmacro %}

{% macro spark__days_between(from_date, to_date) -%}
    datediff(cast({{ to_date }} as date), cast({{ from_date }} as date))
{%- endmacro %}

{% macro spark__bit_is_set(mask, bit) -%}
    ((cast({{ mask }} as integer) & cast({{ bit }} as integer)) != 0)
{%- endmacro %}

{% macro spark__safe_integer(text_expr) -%}
    try_cast(trim({{ text_expr }}) as integer)
{%- endmacro %}

{% macro spark__safe_date(text_expr) -%}
    case when {{ text_expr }} rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then try_cast({{ text_expr }} as date) end
{%- endmacro %}

{# The zone ids Spark converts with: java.time's region ids (ZoneId.getAvailableZoneIds() of
   OpenJDK 17, tzdata 2025; Spark raises on an id it does not know, so the list is written out). #}
{% macro spark__known_time_zones() -%}
    (select explode(array(
        'Africa/Abidjan', 'Africa/Accra', 'Africa/Addis_Ababa', 'Africa/Algiers', 'Africa/Asmara',
        'Africa/Asmera', 'Africa/Bamako', 'Africa/Bangui', 'Africa/Banjul', 'Africa/Bissau',
        'Africa/Blantyre', 'Africa/Brazzaville', 'Africa/Bujumbura', 'Africa/Cairo', 'Africa/Casablanca',
        'Africa/Ceuta', 'Africa/Conakry', 'Africa/Dakar', 'Africa/Dar_es_Salaam', 'Africa/Djibouti',
        'Africa/Douala', 'Africa/El_Aaiun', 'Africa/Freetown', 'Africa/Gaborone', 'Africa/Harare',
        'Africa/Johannesburg', 'Africa/Juba', 'Africa/Kampala', 'Africa/Khartoum', 'Africa/Kigali',
        'Africa/Kinshasa', 'Africa/Lagos', 'Africa/Libreville', 'Africa/Lome', 'Africa/Luanda',
        'Africa/Lubumbashi', 'Africa/Lusaka', 'Africa/Malabo', 'Africa/Maputo', 'Africa/Maseru',
        'Africa/Mbabane', 'Africa/Mogadishu', 'Africa/Monrovia', 'Africa/Nairobi', 'Africa/Ndjamena',
        'Africa/Niamey', 'Africa/Nouakchott', 'Africa/Ouagadougou', 'Africa/Porto-Novo', 'Africa/Sao_Tome',
        'Africa/Timbuktu', 'Africa/Tripoli', 'Africa/Tunis', 'Africa/Windhoek', 'America/Adak',
        'America/Anchorage', 'America/Anguilla', 'America/Antigua', 'America/Araguaina',
        'America/Argentina/Buenos_Aires', 'America/Argentina/Catamarca',
        'America/Argentina/ComodRivadavia', 'America/Argentina/Cordoba', 'America/Argentina/Jujuy',
        'America/Argentina/La_Rioja', 'America/Argentina/Mendoza', 'America/Argentina/Rio_Gallegos',
        'America/Argentina/Salta', 'America/Argentina/San_Juan', 'America/Argentina/San_Luis',
        'America/Argentina/Tucuman', 'America/Argentina/Ushuaia', 'America/Aruba', 'America/Asuncion',
        'America/Atikokan', 'America/Atka', 'America/Bahia', 'America/Bahia_Banderas', 'America/Barbados',
        'America/Belem', 'America/Belize', 'America/Blanc-Sablon', 'America/Boa_Vista', 'America/Bogota',
        'America/Boise', 'America/Buenos_Aires', 'America/Cambridge_Bay', 'America/Campo_Grande',
        'America/Cancun', 'America/Caracas', 'America/Catamarca', 'America/Cayenne', 'America/Cayman',
        'America/Chicago', 'America/Chihuahua', 'America/Ciudad_Juarez', 'America/Coral_Harbour',
        'America/Cordoba', 'America/Costa_Rica', 'America/Creston', 'America/Cuiaba', 'America/Curacao',
        'America/Danmarkshavn', 'America/Dawson', 'America/Dawson_Creek', 'America/Denver',
        'America/Detroit', 'America/Dominica', 'America/Edmonton', 'America/Eirunepe',
        'America/El_Salvador', 'America/Ensenada', 'America/Fort_Nelson', 'America/Fort_Wayne',
        'America/Fortaleza', 'America/Glace_Bay', 'America/Godthab', 'America/Goose_Bay',
        'America/Grand_Turk', 'America/Grenada', 'America/Guadeloupe', 'America/Guatemala',
        'America/Guayaquil', 'America/Guyana', 'America/Halifax', 'America/Havana', 'America/Hermosillo',
        'America/Indiana/Indianapolis', 'America/Indiana/Knox', 'America/Indiana/Marengo',
        'America/Indiana/Petersburg', 'America/Indiana/Tell_City', 'America/Indiana/Vevay',
        'America/Indiana/Vincennes', 'America/Indiana/Winamac', 'America/Indianapolis', 'America/Inuvik',
        'America/Iqaluit', 'America/Jamaica', 'America/Jujuy', 'America/Juneau',
        'America/Kentucky/Louisville', 'America/Kentucky/Monticello', 'America/Knox_IN',
        'America/Kralendijk', 'America/La_Paz', 'America/Lima', 'America/Los_Angeles',
        'America/Louisville', 'America/Lower_Princes', 'America/Maceio', 'America/Managua',
        'America/Manaus', 'America/Marigot', 'America/Martinique', 'America/Matamoros', 'America/Mazatlan',
        'America/Mendoza', 'America/Menominee', 'America/Merida', 'America/Metlakatla',
        'America/Mexico_City', 'America/Miquelon', 'America/Moncton', 'America/Monterrey',
        'America/Montevideo', 'America/Montreal', 'America/Montserrat', 'America/Nassau',
        'America/New_York', 'America/Nipigon', 'America/Nome', 'America/Noronha',
        'America/North_Dakota/Beulah', 'America/North_Dakota/Center', 'America/North_Dakota/New_Salem',
        'America/Nuuk', 'America/Ojinaga', 'America/Panama', 'America/Pangnirtung', 'America/Paramaribo',
        'America/Phoenix', 'America/Port-au-Prince', 'America/Port_of_Spain', 'America/Porto_Acre',
        'America/Porto_Velho', 'America/Puerto_Rico', 'America/Punta_Arenas', 'America/Rainy_River',
        'America/Rankin_Inlet', 'America/Recife', 'America/Regina', 'America/Resolute',
        'America/Rio_Branco', 'America/Rosario', 'America/Santa_Isabel', 'America/Santarem',
        'America/Santiago', 'America/Santo_Domingo', 'America/Sao_Paulo', 'America/Scoresbysund',
        'America/Shiprock', 'America/Sitka', 'America/St_Barthelemy', 'America/St_Johns',
        'America/St_Kitts', 'America/St_Lucia', 'America/St_Thomas', 'America/St_Vincent',
        'America/Swift_Current', 'America/Tegucigalpa', 'America/Thule', 'America/Thunder_Bay',
        'America/Tijuana', 'America/Toronto', 'America/Tortola', 'America/Vancouver', 'America/Virgin',
        'America/Whitehorse', 'America/Winnipeg', 'America/Yakutat', 'America/Yellowknife',
        'Antarctica/Casey', 'Antarctica/Davis', 'Antarctica/DumontDUrville', 'Antarctica/Macquarie',
        'Antarctica/Mawson', 'Antarctica/McMurdo', 'Antarctica/Palmer', 'Antarctica/Rothera',
        'Antarctica/South_Pole', 'Antarctica/Syowa', 'Antarctica/Troll', 'Antarctica/Vostok',
        'Arctic/Longyearbyen', 'Asia/Aden', 'Asia/Almaty', 'Asia/Amman', 'Asia/Anadyr', 'Asia/Aqtau',
        'Asia/Aqtobe', 'Asia/Ashgabat', 'Asia/Ashkhabad', 'Asia/Atyrau', 'Asia/Baghdad', 'Asia/Bahrain',
        'Asia/Baku', 'Asia/Bangkok', 'Asia/Barnaul', 'Asia/Beirut', 'Asia/Bishkek', 'Asia/Brunei',
        'Asia/Calcutta', 'Asia/Chita', 'Asia/Choibalsan', 'Asia/Chongqing', 'Asia/Chungking',
        'Asia/Colombo', 'Asia/Dacca', 'Asia/Damascus', 'Asia/Dhaka', 'Asia/Dili', 'Asia/Dubai',
        'Asia/Dushanbe', 'Asia/Famagusta', 'Asia/Gaza', 'Asia/Harbin', 'Asia/Hebron', 'Asia/Ho_Chi_Minh',
        'Asia/Hong_Kong', 'Asia/Hovd', 'Asia/Irkutsk', 'Asia/Istanbul', 'Asia/Jakarta', 'Asia/Jayapura',
        'Asia/Jerusalem', 'Asia/Kabul', 'Asia/Kamchatka', 'Asia/Karachi', 'Asia/Kashgar', 'Asia/Kathmandu',
        'Asia/Katmandu', 'Asia/Khandyga', 'Asia/Kolkata', 'Asia/Krasnoyarsk', 'Asia/Kuala_Lumpur',
        'Asia/Kuching', 'Asia/Kuwait', 'Asia/Macao', 'Asia/Macau', 'Asia/Magadan', 'Asia/Makassar',
        'Asia/Manila', 'Asia/Muscat', 'Asia/Nicosia', 'Asia/Novokuznetsk', 'Asia/Novosibirsk', 'Asia/Omsk',
        'Asia/Oral', 'Asia/Phnom_Penh', 'Asia/Pontianak', 'Asia/Pyongyang', 'Asia/Qatar', 'Asia/Qostanay',
        'Asia/Qyzylorda', 'Asia/Rangoon', 'Asia/Riyadh', 'Asia/Saigon', 'Asia/Sakhalin', 'Asia/Samarkand',
        'Asia/Seoul', 'Asia/Shanghai', 'Asia/Singapore', 'Asia/Srednekolymsk', 'Asia/Taipei',
        'Asia/Tashkent', 'Asia/Tbilisi', 'Asia/Tehran', 'Asia/Tel_Aviv', 'Asia/Thimbu', 'Asia/Thimphu',
        'Asia/Tokyo', 'Asia/Tomsk', 'Asia/Ujung_Pandang', 'Asia/Ulaanbaatar', 'Asia/Ulan_Bator',
        'Asia/Urumqi', 'Asia/Ust-Nera', 'Asia/Vientiane', 'Asia/Vladivostok', 'Asia/Yakutsk',
        'Asia/Yangon', 'Asia/Yekaterinburg', 'Asia/Yerevan', 'Atlantic/Azores', 'Atlantic/Bermuda',
        'Atlantic/Canary', 'Atlantic/Cape_Verde', 'Atlantic/Faeroe', 'Atlantic/Faroe',
        'Atlantic/Jan_Mayen', 'Atlantic/Madeira', 'Atlantic/Reykjavik', 'Atlantic/South_Georgia',
        'Atlantic/St_Helena', 'Atlantic/Stanley', 'Australia/ACT', 'Australia/Adelaide',
        'Australia/Brisbane', 'Australia/Broken_Hill', 'Australia/Canberra', 'Australia/Currie',
        'Australia/Darwin', 'Australia/Eucla', 'Australia/Hobart', 'Australia/LHI', 'Australia/Lindeman',
        'Australia/Lord_Howe', 'Australia/Melbourne', 'Australia/NSW', 'Australia/North',
        'Australia/Perth', 'Australia/Queensland', 'Australia/South', 'Australia/Sydney',
        'Australia/Tasmania', 'Australia/Victoria', 'Australia/West', 'Australia/Yancowinna',
        'Brazil/Acre', 'Brazil/DeNoronha', 'Brazil/East', 'Brazil/West', 'CET', 'CST6CDT',
        'Canada/Atlantic', 'Canada/Central', 'Canada/Eastern', 'Canada/Mountain', 'Canada/Newfoundland',
        'Canada/Pacific', 'Canada/Saskatchewan', 'Canada/Yukon', 'Chile/Continental', 'Chile/EasterIsland',
        'Cuba', 'EET', 'EST5EDT', 'Egypt', 'Eire', 'Etc/GMT', 'Etc/GMT+0', 'Etc/GMT+1', 'Etc/GMT+10',
        'Etc/GMT+11', 'Etc/GMT+12', 'Etc/GMT+2', 'Etc/GMT+3', 'Etc/GMT+4', 'Etc/GMT+5', 'Etc/GMT+6',
        'Etc/GMT+7', 'Etc/GMT+8', 'Etc/GMT+9', 'Etc/GMT-0', 'Etc/GMT-1', 'Etc/GMT-10', 'Etc/GMT-11',
        'Etc/GMT-12', 'Etc/GMT-13', 'Etc/GMT-14', 'Etc/GMT-2', 'Etc/GMT-3', 'Etc/GMT-4', 'Etc/GMT-5',
        'Etc/GMT-6', 'Etc/GMT-7', 'Etc/GMT-8', 'Etc/GMT-9', 'Etc/GMT0', 'Etc/Greenwich', 'Etc/UCT',
        'Etc/UTC', 'Etc/Universal', 'Etc/Zulu', 'Europe/Amsterdam', 'Europe/Andorra', 'Europe/Astrakhan',
        'Europe/Athens', 'Europe/Belfast', 'Europe/Belgrade', 'Europe/Berlin', 'Europe/Bratislava',
        'Europe/Brussels', 'Europe/Bucharest', 'Europe/Budapest', 'Europe/Busingen', 'Europe/Chisinau',
        'Europe/Copenhagen', 'Europe/Dublin', 'Europe/Gibraltar', 'Europe/Guernsey', 'Europe/Helsinki',
        'Europe/Isle_of_Man', 'Europe/Istanbul', 'Europe/Jersey', 'Europe/Kaliningrad', 'Europe/Kiev',
        'Europe/Kirov', 'Europe/Kyiv', 'Europe/Lisbon', 'Europe/Ljubljana', 'Europe/London',
        'Europe/Luxembourg', 'Europe/Madrid', 'Europe/Malta', 'Europe/Mariehamn', 'Europe/Minsk',
        'Europe/Monaco', 'Europe/Moscow', 'Europe/Nicosia', 'Europe/Oslo', 'Europe/Paris',
        'Europe/Podgorica', 'Europe/Prague', 'Europe/Riga', 'Europe/Rome', 'Europe/Samara',
        'Europe/San_Marino', 'Europe/Sarajevo', 'Europe/Saratov', 'Europe/Simferopol', 'Europe/Skopje',
        'Europe/Sofia', 'Europe/Stockholm', 'Europe/Tallinn', 'Europe/Tirane', 'Europe/Tiraspol',
        'Europe/Ulyanovsk', 'Europe/Uzhgorod', 'Europe/Vaduz', 'Europe/Vatican', 'Europe/Vienna',
        'Europe/Vilnius', 'Europe/Volgograd', 'Europe/Warsaw', 'Europe/Zagreb', 'Europe/Zaporozhye',
        'Europe/Zurich', 'GB', 'GB-Eire', 'GMT', 'GMT0', 'Greenwich', 'Hongkong', 'Iceland',
        'Indian/Antananarivo', 'Indian/Chagos', 'Indian/Christmas', 'Indian/Cocos', 'Indian/Comoro',
        'Indian/Kerguelen', 'Indian/Mahe', 'Indian/Maldives', 'Indian/Mauritius', 'Indian/Mayotte',
        'Indian/Reunion', 'Iran', 'Israel', 'Jamaica', 'Japan', 'Kwajalein', 'Libya', 'MET', 'MST7MDT',
        'Mexico/BajaNorte', 'Mexico/BajaSur', 'Mexico/General', 'NZ', 'NZ-CHAT', 'Navajo', 'PRC',
        'PST8PDT', 'Pacific/Apia', 'Pacific/Auckland', 'Pacific/Bougainville', 'Pacific/Chatham',
        'Pacific/Chuuk', 'Pacific/Easter', 'Pacific/Efate', 'Pacific/Enderbury', 'Pacific/Fakaofo',
        'Pacific/Fiji', 'Pacific/Funafuti', 'Pacific/Galapagos', 'Pacific/Gambier', 'Pacific/Guadalcanal',
        'Pacific/Guam', 'Pacific/Honolulu', 'Pacific/Johnston', 'Pacific/Kanton', 'Pacific/Kiritimati',
        'Pacific/Kosrae', 'Pacific/Kwajalein', 'Pacific/Majuro', 'Pacific/Marquesas', 'Pacific/Midway',
        'Pacific/Nauru', 'Pacific/Niue', 'Pacific/Norfolk', 'Pacific/Noumea', 'Pacific/Pago_Pago',
        'Pacific/Palau', 'Pacific/Pitcairn', 'Pacific/Pohnpei', 'Pacific/Ponape', 'Pacific/Port_Moresby',
        'Pacific/Rarotonga', 'Pacific/Saipan', 'Pacific/Samoa', 'Pacific/Tahiti', 'Pacific/Tarawa',
        'Pacific/Tongatapu', 'Pacific/Truk', 'Pacific/Wake', 'Pacific/Wallis', 'Pacific/Yap', 'Poland',
        'Portugal', 'ROK', 'Singapore', 'SystemV/AST4', 'SystemV/AST4ADT', 'SystemV/CST6',
        'SystemV/CST6CDT', 'SystemV/EST5', 'SystemV/EST5EDT', 'SystemV/HST10', 'SystemV/MST7',
        'SystemV/MST7MDT', 'SystemV/PST8', 'SystemV/PST8PDT', 'SystemV/YST9', 'SystemV/YST9YDT', 'Turkey',
        'UCT', 'US/Alaska', 'US/Aleutian', 'US/Arizona', 'US/Central', 'US/East-Indiana', 'US/Eastern',
        'US/Hawaii', 'US/Indiana-Starke', 'US/Michigan', 'US/Mountain', 'US/Pacific', 'US/Samoa', 'UTC',
        'Universal', 'W-SU', 'WET', 'Zulu'
    )) as name)
{%- endmacro %}

{% macro spark__iso_day_of_week(expr) -%}
    extract(dayofweek_iso from {{ expr }})
{%- endmacro %}

{% macro spark__iso_year(expr) -%}
    extract(yearofweek from {{ expr }})
{%- endmacro %}

{% macro spark__utc_to_local(instant, zone) -%}
    from_utc_timestamp({{ instant }}, {{ zone }})
{%- endmacro %}

{# Spark has no ordered string_agg: the values sorted with their keys (a list of order_by
   expressions, or one), then joined. #}
{% macro spark__ordered_string_agg(expr, separator, order_by) -%}
    {%- set keys = [order_by] if order_by is string else order_by -%}
    array_join(transform(
        array_sort(collect_list(named_struct(
            {%- for key in keys %}'k{{ loop.index }}', {{ key }}, {% endfor -%}
            'v', {{ expr }}
        ))),
        e -> e.v
    ), {{ separator }})
{%- endmacro %}
