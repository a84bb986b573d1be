-- report_tables: missing_primary_key, updated_at_no_trigger,
-- missing_audit_columns. Own schema; dropped at the end.
CREATE SCHEMA rpt_tab;
SET search_path = rpt_tab;
SET client_min_messages = error;  -- the DDL guard's warnings are not what these tests are about

-- missing_primary_key
CREATE TABLE audit_logs (id bigint, msg text);                       -- fires, no fix
CREATE TABLE with_pk (id int PRIMARY KEY);                           -- silent
CREATE TABLE uniq_notnull (id int NOT NULL, other int);              -- fires, fix promotes the index
CREATE UNIQUE INDEX uniq_notnull_id ON uniq_notnull (id);
CREATE TABLE uniq_nullable (id int UNIQUE);                          -- fires, no fix (nullable)
CREATE TABLE measurements (id bigint, at date NOT NULL) PARTITION BY RANGE (at);  -- once
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE keyed (id bigint, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);  -- silent
CREATE TABLE keyed_2024 PARTITION OF keyed FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW a_view AS SELECT 1 AS x;                                 -- not a table
SELECT object_type, object_identity, message, detail, fix
FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{missing_primary_key}');
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{missing_primary_key}')
WHERE fix IS NOT NULL \gexec
SELECT object_identity
FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{missing_primary_key}');

-- updated_at_no_trigger
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE FUNCTION touch_eq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN NEW . "updated_at" = clock_timestamp(); END IF;
    RETURN NEW;
END $$;
-- compares but never assigns: does not maintain
CREATE FUNCTION only_compares() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at = OLD.updated_at THEN RAISE NOTICE 'same'; END IF;
    RETURN NEW;
END $$;
CREATE TABLE t_ok (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_ok_touch BEFORE UPDATE ON t_ok FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE t_ok_eq (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_ok_eq_touch BEFORE INSERT OR UPDATE ON t_ok_eq FOR EACH ROW EXECUTE FUNCTION touch_eq();
CREATE TABLE t_none (id int PRIMARY KEY, updated_at timestamptz);
CREATE TABLE t_insert_only (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_ins BEFORE INSERT ON t_insert_only FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE t_after (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_aft AFTER UPDATE ON t_after FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE t_stmt (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_st BEFORE UPDATE ON t_stmt FOR EACH STATEMENT EXECUTE FUNCTION touch();
CREATE TABLE t_disabled (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_dis BEFORE UPDATE ON t_disabled FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE t_disabled DISABLE TRIGGER t_dis;
CREATE TABLE t_compares (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER t_cmp BEFORE UPDATE ON t_compares FOR EACH ROW EXECUTE FUNCTION only_compares();
-- partitioned: the parent's trigger maintains every partition; judged once
CREATE TABLE p_ok (id int, at date, updated_at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE p_ok_2024 PARTITION OF p_ok FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TRIGGER p_ok_touch BEFORE UPDATE ON p_ok FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE p_none (id int, at date, updated_at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE p_none_2024 PARTITION OF p_none FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
SELECT object_type, object_identity, message, detail
FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{updated_at_no_trigger}');

-- missing_audit_columns: the required list is a setting; empty turns it off
CREATE TABLE audited (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE TABLE "Half Audited" (id int PRIMARY KEY, created_at timestamptz);
SET schema_oracle.audit_columns = 'created_at, updated_at';
SELECT object_identity, message, fix
FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{missing_audit_columns}')
WHERE object_identity IN ('rpt_tab.audited', 'rpt_tab."Half Audited"', 'rpt_tab.audit_logs',
                          'rpt_tab.measurements', 'rpt_tab.measurements_2024');
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{missing_audit_columns}')
WHERE object_identity = 'rpt_tab."Half Audited"' \gexec
-- names are identifiers: unquoted ones fold to lower case, keywords are quoted in the fix
SET schema_oracle.audit_columns = 'Created_At,"order"';
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{missing_audit_columns}')
WHERE object_identity = 'rpt_tab.audited';
SET schema_oracle.audit_columns = '';
SELECT count(*) AS off
FROM schema_oracle.report(include_schemas => '{rpt_tab}', rules => '{missing_audit_columns}');
RESET schema_oracle.audit_columns;

RESET search_path;
DROP SCHEMA rpt_tab CASCADE;
