# Mark the inferences as about to go out of date, in its own transaction before a write: if the
# process dies between the write and the reasoning, the next open recomputes them.
PREFIX hlsg: <https://w3id.org/hls/graph/>
INSERT DATA { GRAPH hlsg:meta { hlsg:inferred hlsg:state "stale" } }
