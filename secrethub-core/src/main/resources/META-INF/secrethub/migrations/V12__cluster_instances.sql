-- The instances serving this database, as each announces itself: a heartbeat row per instance, written about once
-- a second (InstanceRegistry). PostgreSQL is the only coordinator: no election, no consensus; every instance serves
-- every request, and this table only tells operators and load balancers who is alive (sys/ha-status).
-- Times are the database's own (now()), so instances whose clocks differ still agree on who is stale.
-- Nothing secret: addresses and names only. An instance deletes its row when it stops; a dead instance's row stops
-- moving, is left out of the live list after the staleness bound, and is deleted by the others later.
CREATE TABLE cluster_instances (
    instance_id     text        PRIMARY KEY,
    hostname        text        NOT NULL,
    api_address     text        NOT NULL,
    cluster_address text        NOT NULL,
    sealed          boolean     NOT NULL,
    started_at      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL
);

-- The live list and the prune both look at last_seen.
CREATE INDEX cluster_instances_last_seen ON cluster_instances (last_seen);
