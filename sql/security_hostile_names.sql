-- security_hostile_names: every fix report() gives and every SQL line of
-- every hint the guard gives, on objects whose names are hostile (quotes,
-- shell and SQL metacharacters, non-ASCII, 63-byte names), is run with
-- \gexec by an ordinary role: it runs as written (no syntax error, no
-- "does not exist" from a badly quoted name), acts on the named object only
-- (the sentinel table survives), and applied report() fixes make their
-- findings disappear.
SET schema_oracle.guard = off;
CREATE SCHEMA "Sec ""Hostile"" $(touch /tmp/so_pwned)";
GRANT USAGE, CREATE ON SCHEMA "Sec ""Hostile"" $(touch /tmp/so_pwned)" TO so_app;
SET ROLE so_app;
SET search_path = "Sec ""Hostile"" $(touch /tmp/so_pwned)";
CREATE TABLE sentinel (id int);
INSERT INTO sentinel VALUES (1);
CREATE TABLE "Order$(touch /tmp/so_pwned)" (
    "Id" bigint PRIMARY KEY,
    "it's" text,
    "a""b" json,
    "semi;colon" char(10),
    "x; DROP TABLE sentinel; --" timestamp,
    ünïcødé int,
    "line
break" int);
CREATE TABLE "Line ""Item"" `id`" (
    id bigint PRIMARY KEY,
    "Order Id" bigint REFERENCES "Order$(touch /tmp/so_pwned)" ("Id"),
    "back\slash" int,
    qty int);
CREATE TABLE "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt" (
    "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc" bigint,
    "Order Id" bigint REFERENCES "Order$(touch /tmp/so_pwned)" ("Id"));
CREATE INDEX "dup'1" ON "Line ""Item"" `id`" (qty);
CREATE INDEX "dup""2" ON "Line ""Item"" `id`" (qty);
CREATE SEQUENCE "seq;$(id)" AS int START 2147483000;
SELECT nextval('"seq;$(id)"');
CREATE FUNCTION "definer'fn"() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
INSERT INTO "Order$(touch /tmp/so_pwned)" ("Id", "it's") SELECT g, 'v' || g FROM generate_series(1, 50) g;
INSERT INTO "Line ""Item"" `id`" SELECT g, 1 + g % 50, g, g FROM generate_series(1, 200) g;
ANALYZE "Order$(touch /tmp/so_pwned)", "Line ""Item"" `id`";
-- In use though empty (an empty table nobody ever read is not in use).
SELECT count(*) AS n FROM "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt" \gset
SELECT pg_stat_force_next_flush() AS flushed \gset

-- report(): the findings with a fix, before and after applying them.
SELECT rule, object_identity
FROM schema_oracle.report(include_schemas => ARRAY['Sec "Hostile" $(touch /tmp/so_pwned)'])
WHERE fix IS NOT NULL ORDER BY rule, object_identity;
SELECT fix
FROM schema_oracle.report(include_schemas => ARRAY['Sec "Hostile" $(touch /tmp/so_pwned)'])
WHERE fix IS NOT NULL ORDER BY rule, object_identity \gexec
SELECT rule, object_identity, fix
FROM schema_oracle.report(include_schemas => ARRAY['Sec "Hostile" $(touch /tmp/so_pwned)'])
WHERE fix IS NOT NULL ORDER BY rule, object_identity;
SELECT count(*) AS sentinel_rows FROM sentinel;
RESET ROLE;

-- The guard: every rule it judges blocks (rule_levels), every table is big
-- enough; each statement's hint is caught from its SO001 error.
SET ROLE so_app;
SET search_path = "Sec ""Hostile"" $(touch /tmp/so_pwned)";
CREATE TABLE hints (n serial, stmt text, sqlstate text, hint text);
CREATE FUNCTION capture(stmt text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    state text;
    h text;
BEGIN
    EXECUTE stmt;
    INSERT INTO hints (stmt, sqlstate) VALUES (stmt, 'ran');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT;
    INSERT INTO hints (stmt, sqlstate, hint) VALUES (stmt, state, nullif(h, ''));
END $$;
RESET ROLE;
SELECT string_agg(rule || '=block', ',' ORDER BY rule) AS levels
FROM schema_oracle.rules WHERE judged_by LIKE '%guard%' \gset
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
SET schema_oracle.rule_levels = :'levels';
SET ROLE so_app;
SET search_path = "Sec ""Hostile"" $(touch /tmp/so_pwned)";
SELECT capture(s) FROM unnest(ARRAY[
    $s$CREATE INDEX ON "Order$(touch /tmp/so_pwned)" ("it's")$s$,
    $s$CREATE UNIQUE INDEX "u'idx" ON "Line ""Item"" `id`" ("back\slash")$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" ADD COLUMN "new;col" int NOT NULL DEFAULT 0$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" ADD COLUMN "vol'col" timestamptz DEFAULT clock_timestamp()$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" ADD COLUMN "ser""col" bigserial$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" ADD COLUMN "gen$col" bigint GENERATED ALWAYS AS ("Id" * 2) STORED$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" ADD CONSTRAINT "chk'it" CHECK (length("it's") < 100)$s$,
    $s$ALTER TABLE "Line ""Item"" `id`" ADD CONSTRAINT "fk;x" FOREIGN KEY ("back\slash") REFERENCES "Order$(touch /tmp/so_pwned)" ("Id")$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" ALTER COLUMN ünïcødé TYPE bigint$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" ALTER COLUMN "it's" SET NOT NULL$s$,
    $s$ALTER TABLE "Line ""Item"" `id`" ADD CONSTRAINT "uq""qty" UNIQUE (qty)$s$,
    $s$ALTER TABLE "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt" ADD PRIMARY KEY ("ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" RENAME COLUMN "a""b" TO "c""d"$s$,
    $s$ALTER TABLE "Line ""Item"" `id`" RENAME TO "Line ""Items"""$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" DROP COLUMN "semi;colon"$s$,
    -- (not "Order...": logged tables reference it, and PostgreSQL refuses that)
    $s$ALTER TABLE "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt" SET UNLOGGED$s$,
    $s$ALTER TABLE "Order$(touch /tmp/so_pwned)" SET TABLESPACE pg_default$s$,
    $s$CLUSTER "Order$(touch /tmp/so_pwned)" USING "Order$(touch /tmp/so_pwned)_pkey"$s$,
    $s$DROP INDEX "dup'1"$s$,
    $s$TRUNCATE "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"$s$,
    $s$DROP TABLE "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"$s$
]) AS s;
SELECT n, sqlstate, hint IS NOT NULL AS has_hint, left(stmt, 60) AS stmt FROM hints ORDER BY n;
SELECT n, hint FROM hints WHERE hint ~ 'pg_repack|<' ORDER BY n;
-- Every SQL line of every hint (not the prose line that opens it, not a
-- comment, not a line with a <placeholder> to fill in, not a shell command:
-- the pg_repack lines, shown above), in order, with
-- lock_timeout set as the hints say.
SELECT line FROM hints, regexp_split_to_table(hint, E'\n') WITH ORDINALITY AS l(line, k)
WHERE k > 1 AND btrim(line) <> '' AND line !~ '^\s*--' AND line !~ '<[a-z ]+>' AND line !~ '^pg_repack '
ORDER BY n, k;
RESET ROLE;
RESET schema_oracle.rule_levels;
SET schema_oracle.guard = warn;
SET ROLE so_app;
SET search_path = "Sec ""Hostile"" $(touch /tmp/so_pwned)";
SET client_min_messages = error;
\o /dev/null
SELECT line FROM hints, regexp_split_to_table(hint, E'\n') WITH ORDINALITY AS l(line, k)
WHERE k > 1 AND btrim(line) <> '' AND line !~ '^\s*--' AND line !~ '<[a-z ]+>' AND line !~ '^pg_repack '
ORDER BY n, k \gexec
\o
RESET client_min_messages;
SELECT count(*) AS sentinel_rows FROM sentinel;
RESET ROLE;
RESET search_path;
RESET schema_oracle.size_threshold;
SET schema_oracle.guard = off;
DROP SCHEMA "Sec ""Hostile"" $(touch /tmp/so_pwned)" CASCADE;
RESET schema_oracle.guard;
