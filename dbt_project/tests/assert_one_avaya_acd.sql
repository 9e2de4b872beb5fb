-- ECH rows carry no ACD: the avaya_acd seed must name exactly one (its zone reads every segstart).
select count(*) as acds
from {{ ref('avaya_acd') }}
having count(*) != 1
