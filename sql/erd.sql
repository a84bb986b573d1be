-- erd: schema_oracle.erd() as text, on small schemas of its own: columns and
-- their markers, cardinalities from the catalog, ON DELETE actions,
-- partitioned tables, comments, neighbourhoods, keys_only, findings, errors.
CREATE SCHEMA erd_shop;
CREATE SCHEMA erd_other;
SET client_min_messages = error;

CREATE TABLE erd_shop.customers (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text
);
COMMENT ON TABLE erd_shop.customers IS 'People who buy';
COMMENT ON COLUMN erd_shop.customers.email IS 'Login, unique';
-- one-to-one, every profile has its customer: FK columns unique and NOT NULL
CREATE TABLE erd_shop.profiles (
    customer_id bigint PRIMARY KEY REFERENCES erd_shop.customers ON DELETE CASCADE,
    bio text
);
-- zero-or-one to many: a nullable FK, indexed
CREATE TABLE erd_shop.orders (
    id bigint PRIMARY KEY,
    customer_id bigint REFERENCES erd_shop.customers ON DELETE SET NULL,
    placed_at timestamptz NOT NULL
);
CREATE INDEX ON erd_shop.orders (customer_id);
-- exactly-one to many, composite FK without a covering index
CREATE TABLE erd_shop.shipments (
    order_id bigint NOT NULL,
    seq int NOT NULL,
    PRIMARY KEY (order_id, seq)
);
CREATE TABLE erd_shop.shipment_events (
    id bigint PRIMARY KEY,
    seq int NOT NULL,
    order_id bigint NOT NULL,
    FOREIGN KEY (order_id, seq) REFERENCES erd_shop.shipments (order_id, seq) ON DELETE RESTRICT
);
ALTER TABLE erd_shop.shipments ADD FOREIGN KEY (order_id) REFERENCES erd_shop.orders;
-- zero-or-one to zero-or-one: a nullable FK with a unique index on it
CREATE TABLE erd_shop.gift_cards (
    id bigint PRIMARY KEY,
    order_id bigint UNIQUE REFERENCES erd_shop.orders
);
-- a partial unique index does not make the FK unique
CREATE TABLE erd_shop.returns (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES erd_shop.orders
);
CREATE UNIQUE INDEX ON erd_shop.returns (order_id) WHERE id > 0;
-- a self reference
CREATE TABLE erd_shop.categories (
    id int PRIMARY KEY,
    parent_id int REFERENCES erd_shop.categories
);
-- a partitioned table is drawn once, with its partition count; its FK is
-- one edge (not one per partition), and an FK to it is one edge too
CREATE TABLE erd_shop.events (
    id bigint NOT NULL,
    at date NOT NULL,
    customer_id bigint NOT NULL REFERENCES erd_shop.customers,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE erd_shop.events_2024 PARTITION OF erd_shop.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE erd_shop.events_2025 PARTITION OF erd_shop.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    PARTITION BY RANGE (at);
CREATE TABLE erd_shop.events_2025h1 PARTITION OF erd_shop.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
CREATE INDEX ON erd_shop.events (customer_id);
CREATE TABLE erd_shop.event_notes (
    event_id bigint NOT NULL,
    event_at date NOT NULL,
    note text,
    FOREIGN KEY (event_id, event_at) REFERENCES erd_shop.events
);
-- a table in another schema, referencing this one
CREATE TABLE erd_other.audit (id int PRIMARY KEY, customer_id bigint REFERENCES erd_shop.customers);
CREATE INDEX ON erd_other.audit (customer_id);
RESET client_min_messages;
\pset format unaligned
\pset tuples_only on

-- Mermaid (the default) and DOT, one schema.
SELECT schema_oracle.erd(include_schemas => '{erd_shop}');
SELECT schema_oracle.erd(format => 'dot', include_schemas => '{erd_shop}');

-- Only key columns; the other schema included; a schema excluded.
SELECT schema_oracle.erd(include_schemas => '{erd_shop,erd_other}', keys_only => true);
SELECT count(*) AS entities FROM regexp_matches(
    schema_oracle.erd(exclude_schemas => '{erd_shop}', include_schemas => '{erd_shop,erd_other}'), '\["', 'g');

-- Around a table: depth 0 is the table alone, depth 1 its neighbours over
-- foreign keys in either direction, depth 2 theirs. A partition names its
-- partitioned table.
SELECT schema_oracle.erd(around => 'erd_shop.shipments', depth => 0, keys_only => true);
SELECT regexp_replace(schema_oracle.erd(around => 'erd_shop.shipments', keys_only => true), ' \{\n[^}]*\}', '', 'g');
SELECT (regexp_matches(schema_oracle.erd(around => 'erd_shop.shipments', depth => 2), '\["([^"]*)"', 'g'))[1] AS depth_2;
SELECT (regexp_matches(schema_oracle.erd(around => 'erd_shop.events_2025h1', depth => 1), '\["([^"]*)"', 'g'))[1] AS around_partition;
-- around and the schema filters together: the neighbourhood stays in the schemas drawn
SELECT (regexp_matches(schema_oracle.erd(around => 'erd_shop.customers', include_schemas => '{erd_other,erd_shop}'), '\["([^"]*)"', 'g'))[1] AS both_schemas;
SELECT (regexp_matches(schema_oracle.erd(around => 'erd_other.audit', depth => 5, include_schemas => '{erd_other}'), '\["([^"]*)"', 'g'))[1] AS one_schema;

-- findings => true: tables with findings marked, uncovered FKs drawn dashed
-- (Mermaid "..") or red and dashed (DOT), each finding a numbered footnote.
SELECT schema_oracle.erd(include_schemas => '{erd_shop}', around => 'erd_shop.shipments', depth => 1,
                         keys_only => true, findings => true);
SELECT schema_oracle.erd(format => 'dot', include_schemas => '{erd_shop}', around => 'erd_shop.shipments',
                         depth => 1, keys_only => true, findings => true);
-- exactly the foreign keys report() finds uncovered are drawn as uncovered
\pset tuples_only off
SELECT (SELECT count(*) FROM schema_oracle.report(include_schemas => '{erd_shop}', rules => '{fk_missing_index}')) AS report_uncovered,
       (SELECT count(*) FROM regexp_matches(schema_oracle.erd(include_schemas => '{erd_shop}', findings => true), '\.\.o', 'g')) AS mermaid_dashed,
       (SELECT count(*) FROM regexp_matches(schema_oracle.erd(format => 'dot', include_schemas => '{erd_shop}', findings => true), 'style=dashed', 'g')) AS dot_dashed;

\pset tuples_only on
-- An empty selection is an empty, valid diagram.
SELECT schema_oracle.erd(include_schemas => '{no_such_schema}');
SELECT schema_oracle.erd(format => 'DOT', include_schemas => '{no_such_schema}');

-- Bad arguments: SQLSTATE, message and hint.
CREATE FUNCTION pg_temp.error_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; hint text;
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
    RETURN concat(st, ': ', msg, CASE WHEN hint <> '' THEN ' HINT: ' || hint END);
END $$;
SELECT pg_temp.error_of(q) FROM (VALUES
    ($$SELECT schema_oracle.erd(format => 'svg')$$),
    ($$SELECT schema_oracle.erd(format => NULL)$$),
    ($$SELECT schema_oracle.erd(around => 'erd_shop.customers', depth => -1)$$),
    ($$SELECT schema_oracle.erd(around => 'erd_shop.nope')$$),
    ($$SELECT schema_oracle.erd(around => 'erd_shop.customers', include_schemas => '{erd_other}')$$),
    ($$SELECT schema_oracle.erd(around => 'erd_shop.customers_pkey')$$),
    ($$SELECT schema_oracle.data_dictionary(format => 'html')$$)) AS v(q);

SET client_min_messages = error;
DROP SCHEMA erd_shop, erd_other CASCADE;
