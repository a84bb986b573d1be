-- helpers_executors: set_not_null(), add_check(), add_foreign_key() and
-- foreign_key_index_sql(): the recipes, idempotence, quoting and name
-- derivation, and the failure paths (violating rows: a clear error, the
-- table exactly as before).
CREATE SCHEMA hlp_ex;
GRANT USAGE ON SCHEMA hlp_ex TO so_app;
SET search_path = hlp_ex;
\set SHOW_CONTEXT never

-- What a table looks like, to compare before and after a failed call.
CREATE FUNCTION shape(tbl regclass) RETURNS TABLE(item text) LANGUAGE sql AS $$
    SELECT format('column %s %s%s', attname, format_type(atttypid, atttypmod),
                  CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END)
    FROM pg_attribute WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped
    UNION ALL
    SELECT format('constraint %s %s%s', conname, pg_get_constraintdef(oid),
                  coalesce(' -- ' || obj_description(oid, 'pg_constraint'), ''))
    FROM pg_constraint WHERE conrelid = tbl
    UNION ALL
    SELECT format('index %s', indexrelid::regclass) FROM pg_index WHERE indrelid = tbl
    ORDER BY 1
$$;

-- set_not_null: CHECK NOT VALID -> VALIDATE -> SET NOT NULL (no scan) -> drop the CHECK.
CREATE TABLE people (id int PRIMARY KEY, email text, "Nick Name" text);
INSERT INTO people SELECT g, 'p' || g || '@example.com', 'n' || g FROM generate_series(1, 20) g;
CALL schema_oracle.set_not_null('people', 'email');
SELECT * FROM shape('people');
CALL schema_oracle.set_not_null('people', 'email');   -- idempotent
-- A violating row: how many, which, and the table exactly as before.
UPDATE people SET "Nick Name" = NULL WHERE id IN (4, 9, 16);
CREATE TEMP TABLE before AS SELECT * FROM shape('people');
CALL schema_oracle.set_not_null('people', 'Nick Name');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM shape('people') EXCEPT SELECT * FROM before;
SELECT * FROM before EXCEPT SELECT * FROM shape('people');
-- keep_invalid: the NOT VALID check stays (new rows are checked); fix the
-- rows and call again: it finishes the job and drops its own check.
CALL schema_oracle.set_not_null('people', 'Nick Name', keep_invalid => true);
SELECT * FROM shape('people') EXCEPT SELECT * FROM before;
INSERT INTO people VALUES (21, 'x@example.com', NULL);
\echo :LAST_ERROR_SQLSTATE
UPDATE people SET "Nick Name" = 'fixed' WHERE "Nick Name" IS NULL;
CALL schema_oracle.set_not_null('people', 'Nick Name');
SELECT * FROM shape('people');
-- Interrupted after SET NOT NULL: a re-run drops the leftover check.
ALTER TABLE people ADD COLUMN phone text DEFAULT '0';
ALTER TABLE people ADD CONSTRAINT people_phone_not_null CHECK (phone IS NOT NULL);
COMMENT ON CONSTRAINT people_phone_not_null ON people IS 'schema_oracle.set_not_null(): temporary, dropped once the column is NOT NULL';
ALTER TABLE people ALTER COLUMN phone SET NOT NULL;
CALL schema_oracle.set_not_null('people', 'phone');
-- A user's own CHECK (col IS NOT NULL) is used and kept.
ALTER TABLE people ADD COLUMN city text DEFAULT 'x';
ALTER TABLE people ADD CONSTRAINT city_present CHECK (city IS NOT NULL) NOT VALID;
CALL schema_oracle.set_not_null('people', 'city');
SELECT * FROM shape('people') WHERE item LIKE '%city%';
-- Misuse.
CALL schema_oracle.set_not_null('people', 'nope');
\echo :LAST_ERROR_SQLSTATE
CREATE VIEW people_v AS SELECT * FROM people;
CALL schema_oracle.set_not_null('people_v', 'email');
\echo :LAST_ERROR_SQLSTATE
BEGIN;
CALL schema_oracle.set_not_null('people', 'email');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
CALL schema_oracle.set_not_null('people', 'email', lock_timeout => '0');
\echo :LAST_ERROR_SQLSTATE

-- Derived names: 63 bytes at most, cut on a character boundary, free in the
-- namespace, exactly as PostgreSQL derives them; identifiers quoted.
CREATE TABLE "Über lange Tabelle mit einem wirklich sehr sehr langen Namen äöü" (
    id int PRIMARY KEY, "Spalte mit Ümläuten und Leerzeichen, die auch lang ist" int);
INSERT INTO "Über lange Tabelle mit einem wirklich sehr sehr langen Namen äöü" VALUES (1, 1);
SELECT schema_oracle._helpers_choose_name(
    '"Über lange Tabelle mit einem wirklich sehr sehr langen Namen äöü"',
    '{"Spalte mit Ümläuten und Leerzeichen, die auch lang ist"}', 'not_null') AS derived,
    octet_length(schema_oracle._helpers_choose_name(
    '"Über lange Tabelle mit einem wirklich sehr sehr langen Namen äöü"',
    '{"Spalte mit Ümläuten und Leerzeichen, die auch lang ist"}', 'not_null')) AS bytes;
CALL schema_oracle.set_not_null('"Über lange Tabelle mit einem wirklich sehr sehr langen Namen äöü"',
                                'Spalte mit Ümläuten und Leerzeichen, die auch lang ist');
-- a taken name gets PostgreSQL's numbered variant
CREATE TABLE taken (id int, x int);
CREATE TABLE other (id int CONSTRAINT taken_x_not_null CHECK (id > 0));
SELECT schema_oracle._helpers_choose_name('taken', '{x}', 'not_null');

-- add_check: NOT VALID -> VALIDATE.
CREATE TABLE stock (id int PRIMARY KEY, qty int, price numeric);
INSERT INTO stock SELECT g, g, g * 1.5 FROM generate_series(1, 10) g;
CALL schema_oracle.add_check('stock', 'qty positive', 'qty > 0');
CALL schema_oracle.add_check('stock', 'qty positive', 'qty > 0');  -- idempotent
SELECT * FROM shape('stock') WHERE item LIKE 'constraint%';
CREATE TEMP TABLE stock_before AS SELECT * FROM shape('stock');
CALL schema_oracle.add_check('stock', 'qty_small', 'qty < 8');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS changes FROM (SELECT * FROM shape('stock') EXCEPT SELECT * FROM stock_before) s;
-- kept NOT VALID, then the data fixed, then finished by a re-run
CALL schema_oracle.add_check('stock', 'qty_small', 'qty < 8', keep_invalid => true);
SELECT * FROM shape('stock') WHERE item LIKE '%qty_small%';
DELETE FROM stock WHERE qty >= 8;
CALL schema_oracle.add_check('stock', 'qty_small', 'qty < 8');
SELECT * FROM shape('stock') WHERE item LIKE '%qty_small%';
-- NULL passes a CHECK, so it is not counted as a violation
INSERT INTO stock VALUES (100, NULL, 1);
CALL schema_oracle.add_check('stock', 'price_cap', 'price < 10 OR qty IS NULL');
-- the expression must stay one expression of one statement
CALL schema_oracle.add_check('stock', 'evil', 'true) NOT VALID; DROP TABLE stock; --');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS stock_still_there FROM stock;
-- a name taken by another kind of constraint
CALL schema_oracle.add_check('stock', 'stock_pkey', 'id > 0');
\echo :LAST_ERROR_SQLSTATE
-- the expression resolves in the caller's search_path, like typing it
CREATE FUNCTION is_even(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 % 2 = 0';
UPDATE stock SET qty = 2;
CALL schema_oracle.add_check('stock', 'qty_even', 'is_even(qty)');
SELECT * FROM shape('stock') WHERE item LIKE '%qty_even%';

-- add_foreign_key: refuses without a covering index, with the statement to
-- run first (\gexec); NOT VALID -> VALIDATE.
CREATE TABLE customers (id int PRIMARY KEY, region int, UNIQUE (region, id));
INSERT INTO customers SELECT g, g % 3 FROM generate_series(1, 10) g;
CREATE TABLE "Orders" (id int PRIMARY KEY, "Customer Id" int, region int);
INSERT INTO "Orders" SELECT g, g, g % 3 FROM generate_series(1, 10) g;
CALL schema_oracle.add_foreign_key('"Orders"', '{Customer Id}', 'customers');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM schema_oracle.foreign_key_index_sql('"Orders"', '{Customer Id}');
SELECT * FROM schema_oracle.foreign_key_index_sql('"Orders"', '{Customer Id}') \gexec
SELECT * FROM schema_oracle.foreign_key_index_sql('"Orders"', '{Customer Id}');
CALL schema_oracle.add_foreign_key('"Orders"', '{Customer Id}', 'customers', on_delete => 'cascade');
CALL schema_oracle.add_foreign_key('"Orders"', '{Customer Id}', 'customers');  -- idempotent
SELECT * FROM shape('"Orders"') WHERE item LIKE 'constraint%fkey%';
-- orphans: how many, which, and the table as before
ALTER TABLE "Orders" DROP CONSTRAINT "Orders_Customer Id_fkey";
INSERT INTO "Orders" VALUES (11, 99, 0), (12, 98, 0), (13, NULL, 0);  -- NULL references nothing: fine
CREATE TEMP TABLE orders_before AS SELECT * FROM shape('"Orders"');
CALL schema_oracle.add_foreign_key('"Orders"', '{Customer Id}', 'customers');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS changes FROM (SELECT * FROM shape('"Orders"') EXCEPT SELECT * FROM orders_before) s;
SELECT count(*) AS changes FROM (SELECT * FROM orders_before EXCEPT SELECT * FROM shape('"Orders"')) s;
CALL schema_oracle.add_foreign_key('"Orders"', '{Customer Id}', 'customers', keep_invalid => true);
SELECT * FROM shape('"Orders"') WHERE item LIKE 'constraint%fkey%';
DELETE FROM "Orders" WHERE id IN (11, 12);
CALL schema_oracle.add_foreign_key('"Orders"', '{Customer Id}', 'customers');
SELECT * FROM shape('"Orders"') WHERE item LIKE 'constraint%fkey%';
-- two columns, to a unique constraint, covered by an index in the other order
CREATE INDEX orders_cust_region ON "Orders" ("Customer Id", region);
CALL schema_oracle.add_foreign_key('"Orders"', '{region,Customer Id}', 'customers', '{region,id}',
                                   name => 'orders to customer region');
SELECT * FROM shape('"Orders"') WHERE item LIKE '%region%';
-- unindexed, on purpose
CREATE TABLE notes (id int PRIMARY KEY, customer int);
CALL schema_oracle.add_foreign_key('notes', '{customer}', 'customers', allow_unindexed => true);
-- a partial index does not cover (the rule of report()'s unindexed_foreign_key)
CREATE TABLE tags (id int PRIMARY KEY, customer int);
CREATE INDEX tags_customer_partial ON tags (customer) WHERE customer > 0;
SELECT * FROM schema_oracle.foreign_key_index_sql('tags', '{customer}');
-- a partitioned table: per partition, then the parent adopts them
CREATE TABLE visits (id int, customer int, at date) PARTITION BY RANGE (at);
CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE visits_2025 PARTITION OF visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX ON visits (customer);
INSERT INTO visits VALUES (1, 1, '2024-05-01'), (2, 2, '2025-05-01');
CALL schema_oracle.add_foreign_key('visits', '{customer}', 'customers');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.add_foreign_key('visits_2024', '{customer}', 'customers');
CALL schema_oracle.add_foreign_key('visits_2025', '{customer}', 'customers');
ALTER TABLE visits ADD FOREIGN KEY (customer) REFERENCES customers (id);
SELECT conrelid::regclass, conname, convalidated, conparentid <> 0 AS adopted
FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text LIKE 'visits%' ORDER BY 1;
-- set_not_null and add_check work on a partitioned table as on any other
CALL schema_oracle.set_not_null('visits', 'customer');
CALL schema_oracle.add_check('visits', 'customer_positive', 'customer > 0');
SELECT * FROM shape('visits_2025');
-- the index of a partitioned table, two levels deep: ON ONLY, CONCURRENTLY
-- per leaf, ATTACH from the bottom up; then it is valid and covers
CREATE TABLE calls (id int, customer int, at date, kind int) PARTITION BY RANGE (at);
CREATE TABLE calls_2024 PARTITION OF calls FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE calls_2025 PARTITION OF calls FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    PARTITION BY LIST (kind);
CREATE TABLE calls_2025_a PARTITION OF calls_2025 FOR VALUES IN (1);
CREATE TABLE calls_2025_b PARTITION OF calls_2025 FOR VALUES IN (2);
SELECT * FROM schema_oracle.foreign_key_index_sql('calls', '{customer}');
SELECT * FROM schema_oracle.foreign_key_index_sql('calls', '{customer}') \gexec
SELECT indexrelid::regclass, indisvalid FROM pg_index
WHERE indrelid::regclass::text LIKE 'calls%' ORDER BY 1;
SELECT count(*) AS still_needed FROM schema_oracle.foreign_key_index_sql('calls', '{customer}');
-- a partition that already has the index keeps it (attached, not built
-- again; one with INCLUDE or of another access method is
-- another index), and a recipe interrupted part way is finished by running
-- the rows again: nothing is built twice, nothing attached twice
CREATE TABLE rings (id int, customer int, at date, kind int) PARTITION BY RANGE (at);
CREATE TABLE rings_2024 PARTITION OF rings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE rings_2025 PARTITION OF rings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    PARTITION BY LIST (kind);
CREATE TABLE rings_2025_a PARTITION OF rings_2025 FOR VALUES IN (1);
CREATE TABLE rings_2025_b PARTITION OF rings_2025 FOR VALUES IN (2);
CREATE TABLE rings_2026 PARTITION OF rings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX rings_2024_own ON rings_2024 (customer);
CREATE INDEX rings_2026_incl ON rings_2026 (customer) INCLUDE (id);
CREATE INDEX rings_2026_hash ON rings_2026 USING hash (customer);
SELECT * FROM schema_oracle.foreign_key_index_sql('rings', '{customer}');
-- run the first three rows only (the ON ONLY indexes and one leaf's), as if
-- the session died there; then the rest, from a new call
SELECT stmt FROM schema_oracle.foreign_key_index_sql('rings', '{customer}') WITH ORDINALITY r(stmt, n)
WHERE n <= 3 ORDER BY n \gexec
SELECT * FROM schema_oracle.foreign_key_index_sql('rings', '{customer}');
SELECT * FROM schema_oracle.foreign_key_index_sql('rings', '{customer}') \gexec
SELECT i.indexrelid::regclass AS index, i.indisvalid,
       (SELECT inhparent::regclass FROM pg_inherits WHERE inhrelid = i.indexrelid) AS attached_to
FROM pg_index i WHERE i.indrelid::regclass::text LIKE 'rings%' ORDER BY i.indexrelid::regclass::text;
SELECT count(*) AS still_needed FROM schema_oracle.foreign_key_index_sql('rings', '{customer}');
-- misuse
CALL schema_oracle.add_foreign_key('notes', '{customer}', 'customers', on_delete => 'explode');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.add_foreign_key('notes', '{customer,id}', 'customers');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.add_foreign_key('notes', '{nope}', 'customers');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE no_pk (id int);
CALL schema_oracle.add_foreign_key('notes', '{customer}', 'no_pk');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.add_foreign_key('notes', '{customer}', 'customers', name => 'notes_pkey', allow_unindexed => true);
\echo :LAST_ERROR_SQLSTATE

-- Run by a non-superuser on their own tables.
SET ROLE so_app;
CREATE TABLE public.hlp_ex_parent (id int PRIMARY KEY);
CREATE TABLE public.hlp_ex_child (id int PRIMARY KEY, parent int, n int);
CREATE INDEX ON public.hlp_ex_child (parent);
INSERT INTO public.hlp_ex_parent VALUES (1);
INSERT INTO public.hlp_ex_child VALUES (1, 1, 1);
CALL schema_oracle.add_foreign_key('public.hlp_ex_child', '{parent}', 'public.hlp_ex_parent');
CALL schema_oracle.set_not_null('public.hlp_ex_child', 'n');
CALL schema_oracle.add_check('public.hlp_ex_child', 'n_positive', 'n > 0');
SELECT * FROM hlp_ex.shape('public.hlp_ex_child');
DROP TABLE public.hlp_ex_child, public.hlp_ex_parent;
RESET ROLE;
-- ... and not on someone else's
CALL schema_oracle.set_not_null('stock', 'price');
SET ROLE so_app;
CALL schema_oracle.add_check('hlp_ex.stock', 'p', 'price > 0');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

RESET search_path;
DROP SCHEMA hlp_ex CASCADE;
