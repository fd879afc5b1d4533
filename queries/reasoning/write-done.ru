# A write to a remote store finished: the record of it (and any an earlier broken write of the
# same graph left) goes. ?graph is the graph written, or hlsg:update for an update.
PREFIX hlsg: <https://w3id.org/hls/graph/>
DELETE { GRAPH hlsg:meta { ?graph hlsg:unfinishedWrite ?what } }
WHERE { GRAPH hlsg:meta { ?graph hlsg:unfinishedWrite ?what } }
