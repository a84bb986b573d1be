-- commit_updated_at: updated_at_no_trigger judged at commit, with report()'s
-- recogniser of what keeps the column current.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off, fk_missing_index=off';
CREATE SCHEMA cua;
SET search_path = cua;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;

-- fires: no trigger at all.
CREATE TABLE t_none (id bigint PRIMARY KEY, updated_at timestamptz);

-- silent: a BEFORE UPDATE row trigger assigning NEW.updated_at, added later
-- in the same transaction.
BEGIN;
CREATE TABLE t_ok (id bigint PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_ok_touch BEFORE UPDATE ON t_ok FOR EACH ROW EXECUTE FUNCTION touch();
COMMIT;

-- fires: INSERT only, AFTER, statement-level.
BEGIN;
CREATE TABLE t_insert (id bigint PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_insert_touch BEFORE INSERT ON t_insert FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE t_after (id bigint PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_after_touch AFTER UPDATE ON t_after FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE t_stmt (id bigint PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_stmt_touch BEFORE UPDATE ON t_stmt FOR EACH STATEMENT EXECUTE FUNCTION touch();
COMMIT;

-- fires: the trigger of an existing table disabled, or dropped.
ALTER TABLE t_ok DISABLE TRIGGER t_ok_touch;
ALTER TABLE t_ok ENABLE TRIGGER t_ok_touch;
DROP TRIGGER t_ok_touch ON t_ok;

-- contrib moddatetime counts; the fix, applied with \gexec, makes the
-- finding disappear.
CREATE EXTENSION moddatetime SCHEMA public;
BEGIN;
CREATE TABLE t_fixed (id bigint PRIMARY KEY, updated_at timestamptz);
SELECT 'CREATE TRIGGER t_fixed_set_updated_at BEFORE UPDATE ON cua.t_fixed FOR EACH ROW EXECUTE FUNCTION public.moddatetime(''updated_at'')' \gexec
COMMIT;
-- The fix names the installed moddatetime, and a trigger name not taken.
BEGIN;
CREATE TABLE t_mod (id bigint PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_mod_set_updated_at BEFORE INSERT ON t_mod FOR EACH ROW EXECUTE FUNCTION touch();
COMMIT;
-- moddatetime on another column does not count.
BEGIN;
CREATE TABLE t_other (id bigint PRIMARY KEY, updated_at timestamptz, seen_at timestamptz);
CREATE TRIGGER t_other_mod BEFORE UPDATE ON t_other FOR EACH ROW EXECUTE FUNCTION public.moddatetime(seen_at);
COMMIT;

-- An ALTER that cannot make a table worse (a plain column, a CHECK) does
-- not make the commit judge it again...
ALTER TABLE t_none ADD COLUMN note text, ADD CONSTRAINT t_none_note_check CHECK (note <> '');
-- ...one that may (a changed column type, say) re-judges it, but a
-- warning already given in this session is not repeated (an autocommit
-- migration would hear it after every statement on the table)...
ALTER TABLE t_none ALTER COLUMN note TYPE varchar(100);
-- ...while a different verdict on the same column is reported.
CREATE TRIGGER t_none_ins BEFORE INSERT ON t_none FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE t_none ALTER COLUMN note TYPE text;
-- A plain ADD COLUMN of a column the rule looks after is judged.
CREATE TABLE t_late (id bigint PRIMARY KEY);
ALTER TABLE t_late ADD COLUMN updated_at timestamptz;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA cua CASCADE;
DROP EXTENSION moddatetime;
RESET client_min_messages;
RESET schema_oracle.rule_levels;
