# The inferences are current again.
PREFIX hlsg: <https://w3id.org/hls/graph/>
DELETE DATA { GRAPH hlsg:meta { hlsg:inferred hlsg:state "stale" } }
