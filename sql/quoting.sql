-- quoting: names that are SQL keywords ("select", "user", "order") and
-- literals that hold backslashes, through the guard's hints and report()'s
-- fixes. Each is quoted as quote_identifier / quote_literal would quote it,
-- so it runs as printed; a fix run with \gexec makes its finding disappear.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA "select";
SET search_path = "select";
CREATE TABLE "user" (id bigint PRIMARY KEY, "order" int, note text) WITH (autovacuum_enabled = off);
INSERT INTO "user" SELECT g, g, 'n' FROM generate_series(1, 100) g;
ANALYZE "user";
CREATE TABLE "order" (id bigint PRIMARY KEY, "user" bigint REFERENCES "user");
INSERT INTO "order" SELECT g, g FROM generate_series(1, 100) g;
-- The name PostgreSQL would give an index on "order" ("user") is taken by a
-- view: every relation of the schema counts, whatever its kind.
CREATE VIEW order_user_idx AS SELECT 1 AS one;

-- The core quotes keywords exactly as PostgreSQL does (reserved, column-name
-- and type/function-name keywords; unreserved ones stay bare).
SELECT quote_ident('select') AS select_, quote_ident('user') AS user_,
       quote_ident('order') AS order_, quote_ident('action') AS action_;

-- The guard names the index as PostgreSQL will (order_user_idx1).
BEGIN;
CREATE INDEX ON "order" ("user");
SELECT relname FROM pg_class WHERE relname LIKE 'order_user_idx%' ORDER BY 1;
ROLLBACK;

-- report(): the index that covers "order"."user", named the same way and
-- quoted; the fix runs as printed and the finding is gone.
SELECT rule, fix FROM schema_oracle.report(include_schemas => '{select}', rules => '{fk_missing_index}');
SELECT fix FROM schema_oracle.report(include_schemas => '{select}', rules => '{fk_missing_index}') \gexec
SELECT count(*) AS left_over
FROM schema_oracle.report(include_schemas => '{select}', rules => '{fk_missing_index}');

-- The guard: hints about keyword-named tables and columns.
CREATE INDEX ON "user" ("order");
ALTER TABLE "user" ALTER COLUMN "order" SET NOT NULL;

-- A literal with a backslash flows into the batched UPDATE's hint as an
-- escape string (E'...', backslashes doubled), as quote_literal writes it.
BEGIN;
COMMENT ON COLUMN "user".note IS 'path';
UPDATE "user" SET note = 'C:\temp\' || note WHERE "order" > 0;
ROLLBACK;
SELECT quote_literal($$note = 'C:\temp\' || note$$) AS postgres_quote_literal;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA "select" CASCADE;
RESET client_min_messages;
RESET lock_timeout;
RESET schema_oracle.size_threshold;
RESET schema_oracle.guard;
