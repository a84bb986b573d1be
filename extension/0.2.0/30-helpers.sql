-- 30-helpers.sql: helpers that do the safe thing (docs/helpers.md).
--
--   set_updated_at()            C trigger keeping a timestamp column current
--   enable_updated_at(...)      creates it idempotently, with lock retries
--   enable_updated_at_all(...)  ... for every column report() flags
--   with_lock_retries(sql ...)  one DDL statement, short lock_timeout, retries
--   set_not_null / add_foreign_key / add_check   the NOT VALID -> VALIDATE recipes
--   foreign_key_index_sql(...)  the CREATE INDEX CONCURRENTLY to run first (\gexec)
--
-- Security: everything runs with the caller's rights. Functions pin
-- search_path. Procedures cannot (PostgreSQL forbids COMMIT in a procedure
-- with a SET clause), so their bodies call only schema-qualified functions
-- and pinned helpers; the one place that runs under the caller's
-- search_path on purpose is _helpers_try_ddl, because the statement given to
-- with_lock_retries (or the expression given to add_check) is the caller's
-- and names things the way the caller sees them. Statements the executors
-- build themselves are fully qualified, so the caller's search_path cannot
-- change what they mean.

-- ---------------------------------------------------------------------------
-- set_updated_at(): BEFORE UPDATE [OR INSERT] ... FOR EACH ROW
--     EXECUTE FUNCTION schema_oracle.set_updated_at([column [, option ...]])
-- No SET clause on purpose: it is C, resolves no names, and a SET clause
-- would run fmgr_security_definer's GUC save/restore on every row.
CREATE FUNCTION schema_oracle.set_updated_at()
RETURNS trigger LANGUAGE C
AS 'MODULE_PATHNAME', 'schema_oracle_set_updated_at';
COMMENT ON FUNCTION schema_oracle.set_updated_at() IS
    'Row trigger: sets a timestamptz/timestamp column (argument 1, default updated_at) to now(); options: statement, clock, keep_explicit';

-- ---------------------------------------------------------------------------
-- Internal C checks (src/pg/helpers.cpp).
CREATE FUNCTION schema_oracle._helpers_one_ddl_statement(sql text, caller text)
RETURNS text LANGUAGE C STABLE
AS 'MODULE_PATHNAME', 'schema_oracle_helpers_one_ddl_statement';

CREATE FUNCTION schema_oracle._helpers_refuse_transaction_block(caller text)
RETURNS void LANGUAGE C VOLATILE
AS 'MODULE_PATHNAME', 'schema_oracle_helpers_refuse_transaction_block';

CREATE FUNCTION schema_oracle._helpers_choose_name(tbl regclass, columns name[], label text,
                                                   is_index boolean DEFAULT false)
RETURNS text LANGUAGE C STABLE
AS 'MODULE_PATHNAME', 'schema_oracle_helpers_choose_name';

-- ---------------------------------------------------------------------------
-- The retry loop shared by every helper.

-- Checks the retry settings; leaves lock_timeout set for the transaction.
CREATE FUNCTION schema_oracle._helpers_check_retry_settings(
    caller text, lock_timeout text, max_attempts integer, base_delay interval, max_delay interval)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ms bigint;
BEGIN
    IF lock_timeout IS NULL OR max_attempts IS NULL OR base_delay IS NULL OR max_delay IS NULL THEN
        RAISE EXCEPTION '%: lock_timeout, max_attempts, base_delay and max_delay cannot be NULL', caller
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM set_config('lock_timeout', lock_timeout, true);  -- 22023 for a bad value
    SELECT setting::bigint INTO ms FROM pg_settings WHERE name = 'lock_timeout';
    IF ms <= 0 THEN
        RAISE EXCEPTION '%: lock_timeout must be positive, not %', caller, quote_literal(lock_timeout)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'lock_timeout = 0 waits for the lock for ever, blocking every query queued behind it.';
    END IF;
    IF max_attempts < 1 THEN
        RAISE EXCEPTION '%: max_attempts must be at least 1, not %', caller, max_attempts
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF base_delay < interval '0' OR max_delay < base_delay THEN
        RAISE EXCEPTION '%: need 0 <= base_delay <= max_delay (got % and %)', caller, base_delay, max_delay
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- One attempt: runs `sql` in a subtransaction with lock_timeout set. Returns
-- NULL when it ran, '55P03' when a lock was not granted in time, and (when
-- catch_violations) the SQLSTATE of a check / foreign key / not-null
-- violation; raises anything else. No SET clause: the statement is the
-- caller's and must see the caller's search_path (see the header).
CREATE FUNCTION schema_oracle._helpers_try_ddl(sql text, lock_timeout text,
                                               catch_violations boolean DEFAULT false)
RETURNS text LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_catalog.set_config('lock_timeout', lock_timeout, true);
    BEGIN
        EXECUTE sql;
    EXCEPTION
        WHEN lock_not_available THEN
            RETURN '55P03';
        WHEN check_violation OR foreign_key_violation OR not_null_violation THEN
            IF catch_violations THEN
                RETURN SQLSTATE;
            END IF;
            RAISE;
    END;
    RETURN NULL;
END
$$;

-- The delay before attempt `attempt` + 1: base_delay * 2^(attempt-1), at
-- most max_delay, times a random factor in [0.5, 1.5) with jitter (so that
-- sessions retrying the same lock do not retry in step).
CREATE FUNCTION schema_oracle._helpers_backoff(attempt integer, base_delay interval,
                                               max_delay interval, jitter boolean)
RETURNS double precision LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT least(extract(epoch FROM max_delay)::double precision,
                 extract(epoch FROM base_delay)::double precision * power(2, least(attempt - 1, 30))
                 * CASE WHEN jitter THEN 0.5 + random() ELSE 1 END)
$$;

CREATE FUNCTION schema_oracle._helpers_gave_up(caller text, what text, attempts integer,
                                               lock_timeout text)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '%: gave up after % attempts: % could not get its lock within lock_timeout %',
            caller, attempts, what, lock_timeout
        USING ERRCODE = 'lock_not_available',
              DETAIL = 'Every attempt was rolled back; nothing was changed by this step, and no lock '
                       'was held between attempts.',
              HINT = 'A long transaction or query holds a conflicting lock on the table: look in '
                     'pg_stat_activity (state ''idle in transaction'', old xact_start). Retry later, '
                     'or raise max_attempts or lock_timeout.';
END
$$;

-- Runs `sql` until it gets its locks: each attempt in its own transaction
-- (committed when it succeeds), with backoff between attempts. Sets
-- outcome to 'done', or to a violation's SQLSTATE when catch_violations
-- (then the transaction is left open for the caller to clean up and commit).
CREATE PROCEDURE schema_oracle._helpers_retry(
    sql text, caller text, what text, lock_timeout text, max_attempts integer,
    base_delay interval, max_delay interval, jitter boolean, catch_violations boolean,
    INOUT outcome text DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    attempt integer := 0;
    result text;
    delay double precision;
BEGIN
    LOOP
        attempt := attempt + 1;
        result := schema_oracle._helpers_try_ddl(sql, lock_timeout, catch_violations);
        IF result IS NULL THEN
            COMMIT;
            IF attempt > 1 THEN
                RAISE NOTICE '%: % done on attempt %', caller, what, attempt;
            END IF;
            outcome := 'done';
            RETURN;
        ELSIF result IS DISTINCT FROM '55P03' THEN
            outcome := result;
            RETURN;
        END IF;
        ROLLBACK;
        IF attempt >= max_attempts THEN
            PERFORM schema_oracle._helpers_gave_up(caller, what, attempt, lock_timeout);
        END IF;
        delay := schema_oracle._helpers_backoff(attempt, base_delay, max_delay, jitter);
        RAISE NOTICE '%: attempt % of %: % could not get its lock within %; retrying in % ms',
            caller, attempt, max_attempts, what, lock_timeout, pg_catalog.round(delay * 1000);
        PERFORM pg_catalog.pg_sleep(delay);
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- CALL schema_oracle.with_lock_retries(sql, ...): one DDL statement with a
-- short lock_timeout, retried with backoff and jitter on lock_not_available,
-- committing between attempts. The statement runs through the ordinary
-- ProcessUtility path, so the live guard judges it as usual.
CREATE PROCEDURE schema_oracle.with_lock_retries(
    sql text,
    lock_timeout text DEFAULT '1s',
    max_attempts integer DEFAULT 10,
    base_delay interval DEFAULT '100ms',
    max_delay interval DEFAULT '10s',
    jitter boolean DEFAULT true)
LANGUAGE plpgsql
AS $$
DECLARE
    caller constant text := 'schema_oracle.with_lock_retries()';
    tag text;
    outcome text;
BEGIN
    PERFORM schema_oracle._helpers_refuse_transaction_block(caller);
    tag := schema_oracle._helpers_one_ddl_statement(sql, caller);
    PERFORM schema_oracle._helpers_check_retry_settings(caller, lock_timeout, max_attempts,
                                                        base_delay, max_delay);
    CALL schema_oracle._helpers_retry(sql, caller, tag, lock_timeout, max_attempts, base_delay,
                                      max_delay, jitter, false, outcome);
END
$$;
COMMENT ON PROCEDURE schema_oracle.with_lock_retries(text, text, integer, interval, interval, boolean) IS
    'Runs one DDL statement with a short lock_timeout, retrying with backoff and jitter on lock_not_available, committing between attempts';

-- ---------------------------------------------------------------------------
-- enable_updated_at(tbl, col): the set_updated_at trigger, idempotently.

-- Trigger name: set_<column>, cut to 63 bytes the way PostgreSQL cuts names.
CREATE FUNCTION schema_oracle._helpers_trigger_name(col name)
RETURNS name LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT ('set_' || col)::name $$;

-- The CREATE TRIGGER statement to run, or NULL when the trigger is there.
CREATE FUNCTION schema_oracle._helpers_updated_at_plan(
    tbl regclass, col name, on_insert boolean, clock text, keep_explicit boolean)
RETURNS text LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind "char";
    typ oid;
    trig_name name := schema_oracle._helpers_trigger_name(col);
    args text;
    suffix text;
    bare constant text := 'EXECUTE FUNCTION schema_oracle.set_updated_at()';
    wanted_type int2;
    existing record;
BEGIN
    IF tbl IS NULL OR col IS NULL THEN
        RAISE EXCEPTION 'enable_updated_at: table and column cannot be NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT relkind INTO kind FROM pg_class WHERE oid = tbl;
    IF kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'enable_updated_at: % is not a table', tbl
            USING ERRCODE = 'wrong_object_type';
    END IF;
    SELECT atttypid INTO typ FROM pg_attribute
    WHERE attrelid = tbl AND attname = col AND attnum > 0 AND NOT attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'enable_updated_at: column % of % does not exist', quote_ident(col), tbl
            USING ERRCODE = 'undefined_column';
    END IF;
    IF typ NOT IN ('timestamptz'::regtype, 'timestamp'::regtype) THEN
        RAISE EXCEPTION 'enable_updated_at: column % of % is of type %, not timestamptz or timestamp',
                quote_ident(col), tbl, format_type(typ, NULL)
            USING ERRCODE = 'datatype_mismatch';
    END IF;
    IF clock IS NULL OR clock NOT IN ('transaction', 'statement', 'clock') THEN
        RAISE EXCEPTION 'enable_updated_at: clock must be transaction, statement or clock, not %',
                coalesce(quote_literal(clock), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- tgtype: ROW(1) | BEFORE(2) | UPDATE(16) [| INSERT(4)]
    wanted_type := 1 | 2 | 16 | CASE WHEN on_insert THEN 4 ELSE 0 END;
    args := quote_literal(col)
            || CASE WHEN clock <> 'transaction' THEN ', ' || quote_literal(clock) ELSE '' END
            || CASE WHEN keep_explicit THEN ', ''keep_explicit''' ELSE '' END;
    suffix := 'EXECUTE FUNCTION schema_oracle.set_updated_at(' || args || ')';
    -- Already there, exactly as asked (any name): nothing to do.
    FOR existing IN
        SELECT t.tgname, t.tgtype, t.tgenabled, t.tgnargs, t.tgargs, t.tgattr,
               pg_get_triggerdef(t.oid) AS def
        FROM pg_trigger t
        WHERE t.tgrelid = tbl AND NOT t.tgisinternal
          AND t.tgfoid = 'schema_oracle.set_updated_at()'::regprocedure
    LOOP
        IF (right(existing.def, length(suffix)) = suffix
            OR (col = 'updated_at' AND args = quote_literal(col)
                AND right(existing.def, length(bare)) = bare))
           AND existing.tgtype = wanted_type AND existing.tgenabled IN ('O', 'A')
           AND coalesce(array_length(existing.tgattr, 1), 0) = 0 THEN
            RAISE NOTICE 'enable_updated_at: trigger % on % already keeps % current',
                quote_ident(existing.tgname), tbl, quote_ident(col);
            RETURN NULL;
        END IF;
    END LOOP;
    -- A trigger of that name running something else is the user's: refuse.
    SELECT t.tgfoid::regprocedure AS fn INTO existing
    FROM pg_trigger t WHERE t.tgrelid = tbl AND t.tgname = trig_name;
    IF FOUND AND existing.fn <> 'schema_oracle.set_updated_at()'::regprocedure THEN
        RAISE EXCEPTION 'enable_updated_at: % already has a trigger named % (it runs %)',
                tbl, quote_ident(trig_name), existing.fn
            USING ERRCODE = 'duplicate_object';
    END IF;
    -- CREATE OR REPLACE updates our own trigger in place when the options changed.
    RETURN format('CREATE OR REPLACE TRIGGER %I BEFORE %s ON %s FOR EACH ROW '
                  'EXECUTE FUNCTION schema_oracle.set_updated_at(%s)',
                  trig_name, CASE WHEN on_insert THEN 'INSERT OR UPDATE' ELSE 'UPDATE' END, tbl, args);
END
$$;

CREATE PROCEDURE schema_oracle.enable_updated_at(
    tbl regclass,
    col name DEFAULT 'updated_at',
    on_insert boolean DEFAULT false,
    clock text DEFAULT 'transaction',
    keep_explicit boolean DEFAULT false,
    lock_timeout text DEFAULT '1s',
    max_attempts integer DEFAULT 10,
    base_delay interval DEFAULT '100ms',
    max_delay interval DEFAULT '10s',
    jitter boolean DEFAULT true)
LANGUAGE plpgsql
AS $$
DECLARE
    caller constant text := 'schema_oracle.enable_updated_at()';
    stmt text;
    outcome text;
BEGIN
    PERFORM schema_oracle._helpers_refuse_transaction_block(caller);
    PERFORM schema_oracle._helpers_check_retry_settings(caller, lock_timeout, max_attempts,
                                                        base_delay, max_delay);
    stmt := schema_oracle._helpers_updated_at_plan(tbl, col, on_insert, clock, keep_explicit);
    IF stmt IS NULL THEN
        RETURN;
    END IF;
    CALL schema_oracle._helpers_retry(stmt, caller, 'CREATE TRIGGER', lock_timeout, max_attempts,
                                      base_delay, max_delay, jitter, false, outcome);
    RAISE NOTICE 'enable_updated_at: %', stmt;
END
$$;
COMMENT ON PROCEDURE schema_oracle.enable_updated_at(regclass, name, boolean, text, boolean, text, integer, interval, interval, boolean) IS
    'Creates the set_updated_at trigger on a table, idempotently, with a short lock_timeout and retries';

-- The columns report() flags with updated_at_no_trigger, as (table, column).
CREATE FUNCTION schema_oracle._helpers_updated_at_targets(include_schemas text[], exclude_schemas text[])
RETURNS TABLE(tbl regclass, col name, typ regtype) LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT r.objid::regclass, a.attname, a.atttypid::regtype
    FROM schema_oracle.report_objects(include_schemas => include_schemas,
                                      exclude_schemas => exclude_schemas,
                                      rules => ARRAY['updated_at_no_trigger']) r
    JOIN pg_attribute a ON a.attrelid = r.objid AND a.attnum = r.objsubid
    WHERE r.classid = 'pg_class'::regclass
    ORDER BY r.object_identity
$$;

CREATE PROCEDURE schema_oracle.enable_updated_at_all(
    include_schemas text[] DEFAULT NULL,
    exclude_schemas text[] DEFAULT NULL,
    dry_run boolean DEFAULT false,
    lock_timeout text DEFAULT '1s',
    max_attempts integer DEFAULT 10,
    base_delay interval DEFAULT '100ms',
    max_delay interval DEFAULT '10s',
    jitter boolean DEFAULT true)
LANGUAGE plpgsql
AS $$
DECLARE
    caller constant text := 'schema_oracle.enable_updated_at_all()';
    tables regclass[];
    columns name[];
    types regtype[];
    n integer;
    done integer := 0;
BEGIN
    PERFORM schema_oracle._helpers_refuse_transaction_block(caller);
    SELECT pg_catalog.array_agg(t.tbl), pg_catalog.array_agg(t.col), pg_catalog.array_agg(t.typ)
    INTO tables, columns, types
    FROM schema_oracle._helpers_updated_at_targets(include_schemas, exclude_schemas) t;
    n := coalesce(pg_catalog.cardinality(tables), 0);
    RAISE NOTICE 'enable_updated_at_all: report() flags % column(s) with updated_at_no_trigger', n;
    FOR i IN 1 .. n LOOP
        IF types[i] NOT IN ('pg_catalog.timestamptz'::pg_catalog.regtype,
                            'pg_catalog.timestamp'::pg_catalog.regtype) THEN
            RAISE NOTICE 'enable_updated_at_all: skipped %.%: it is of type %, not timestamptz or timestamp',
                tables[i], pg_catalog.quote_ident(columns[i]), types[i];
        ELSIF dry_run THEN
            RAISE NOTICE 'enable_updated_at_all: would run CALL schema_oracle.enable_updated_at(%, %)',
                pg_catalog.quote_literal(tables[i]::text), pg_catalog.quote_literal(columns[i]);
        ELSE
            CALL schema_oracle.enable_updated_at(tables[i], columns[i],
                                                 lock_timeout => lock_timeout,
                                                 max_attempts => max_attempts,
                                                 base_delay => base_delay,
                                                 max_delay => max_delay, jitter => jitter);
            done := done + 1;
        END IF;
    END LOOP;
    IF NOT dry_run THEN
        RAISE NOTICE 'enable_updated_at_all: done: set_updated_at now keeps % more column(s) current', done;
    END IF;
END
$$;
COMMENT ON PROCEDURE schema_oracle.enable_updated_at_all(text[], text[], boolean, text, integer, interval, interval, boolean) IS
    'enable_updated_at() for every column report() flags with updated_at_no_trigger, one table per transaction';

-- ---------------------------------------------------------------------------
-- The safe executors.

CREATE FUNCTION schema_oracle._helpers_constraint_marker()
RETURNS text LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT 'schema_oracle.set_not_null(): temporary, dropped once the column is NOT NULL'::text $$;

-- Rows that violate `condition` (over alias t of tbl): how many, and the
-- primary keys (ctid without one) of the first few. No SET clause: for
-- add_check the condition is the caller's expression (see the header).
CREATE FUNCTION schema_oracle._helpers_violations(tbl regclass, condition text,
                                                  OUT total bigint, OUT sample text)
LANGUAGE plpgsql
AS $$
DECLARE
    keycols text;
    rowexpr text;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.ord),
           pg_catalog.string_agg('t.' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.ord)
    INTO keycols, rowexpr
    FROM pg_catalog.pg_index i
    CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid
                                   AND a.attnum OPERATOR(pg_catalog.=) k.attnum
    WHERE i.indrelid OPERATOR(pg_catalog.=) tbl AND i.indisprimary;
    IF keycols IS NULL THEN
        keycols := 'ctid';
        rowexpr := 't.ctid';
    END IF;
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s AS t WHERE %s', tbl, condition)
        INTO total;
    EXECUTE pg_catalog.format(
        'SELECT pg_catalog.string_agg(%L || k, '', '') FROM '
        '(SELECT ROW(%s)::text AS k FROM %s AS t WHERE %s LIMIT 5) s',
        '(' OPERATOR(pg_catalog.||) keycols OPERATOR(pg_catalog.||) ')=', rowexpr, tbl, condition)
        INTO sample;
END
$$;

-- VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE: reads and writes go on),
-- with lock retries. When rows violate it: how many and which, the NOT
-- VALID constraint dropped if this call added it (unless keep_invalid), so
-- the table is as before, and the violation raised as `errcode_name`.
CREATE PROCEDURE schema_oracle._helpers_validate(
    caller text, tbl regclass, conname name, condition text, added boolean, keep_invalid boolean,
    errcode_name text, what text, lock_timeout text, max_attempts integer,
    base_delay interval, max_delay interval, jitter boolean)
LANGUAGE plpgsql
AS $$
DECLARE
    v record;
    outcome text;
    fate text;
BEGIN
    CALL schema_oracle._helpers_retry(
        pg_catalog.format('ALTER TABLE %s VALIDATE CONSTRAINT %I', tbl, conname), caller,
        'VALIDATE CONSTRAINT', lock_timeout, max_attempts, base_delay, max_delay, jitter, true,
        outcome);
    IF outcome = 'done' THEN
        RETURN;
    END IF;
    SELECT * INTO v FROM schema_oracle._helpers_violations(tbl, condition);
    ROLLBACK;
    IF added AND NOT keep_invalid THEN
        CALL schema_oracle._helpers_retry(
            pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, conname), caller,
            'DROP CONSTRAINT', lock_timeout, max_attempts, base_delay, max_delay, jitter, false,
            outcome);
        fate := pg_catalog.format('The NOT VALID constraint %I it added was dropped: the table is as before.', conname);
    ELSE
        fate := pg_catalog.format('Constraint %I stays NOT VALID: new and updated rows are checked; '
                                  'fix the rows and call again to validate it.', conname);
    END IF;
    RAISE EXCEPTION '%: % row(s) of % %', caller, v.total, tbl, what
        USING ERRCODE = errcode_name,
              DETAIL = pg_catalog.format('First violating rows: %s. %s', v.sample, fate),
              HINT = pg_catalog.format('Find them with: SELECT * FROM %s AS t WHERE %s;', tbl, condition);
END
$$;

-- set_not_null: the state of the column and of a CHECK (col IS NOT NULL).
CREATE FUNCTION schema_oracle._helpers_not_null_state(
    tbl regclass, col name,
    OUT already_not_null boolean, OUT conname name, OUT con_valid boolean, OUT con_ours boolean,
    OUT new_name name)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind "char";
BEGIN
    IF tbl IS NULL OR col IS NULL THEN
        RAISE EXCEPTION 'set_not_null: table and column cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT relkind INTO kind FROM pg_class WHERE oid = tbl;
    IF kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'set_not_null: % is not a table', tbl USING ERRCODE = 'wrong_object_type';
    END IF;
    SELECT attnotnull INTO already_not_null FROM pg_attribute
    WHERE attrelid = tbl AND attname = col AND attnum > 0 AND NOT attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'set_not_null: column % of % does not exist', quote_ident(col), tbl
            USING ERRCODE = 'undefined_column';
    END IF;
    -- A CHECK that says exactly "col IS NOT NULL" (ours from an earlier,
    -- interrupted run, or the user's own), preferring a valid one.
    SELECT c.conname, c.convalidated,
           coalesce(obj_description(c.oid, 'pg_constraint') = schema_oracle._helpers_constraint_marker(), false)
    INTO conname, con_valid, con_ours
    FROM pg_constraint c
    WHERE c.conrelid = tbl AND c.contype = 'c'
      AND regexp_replace(pg_get_constraintdef(c.oid), ' NOT VALID$', '')
          = format('CHECK ((%I IS NOT NULL))', col)
    ORDER BY c.convalidated DESC, c.conname
    LIMIT 1;
    IF conname IS NULL THEN
        new_name := schema_oracle._helpers_choose_name(tbl, ARRAY[col], 'not_null');
    END IF;
END
$$;

CREATE PROCEDURE schema_oracle.set_not_null(
    tbl regclass,
    col name,
    keep_invalid boolean DEFAULT false,
    lock_timeout text DEFAULT '1s',
    max_attempts integer DEFAULT 10,
    base_delay interval DEFAULT '100ms',
    max_delay interval DEFAULT '10s',
    jitter boolean DEFAULT true)
LANGUAGE plpgsql
AS $$
DECLARE
    caller constant text := 'schema_oracle.set_not_null()';
    s record;
    conname name;
    ours boolean;
    added boolean := false;
    outcome text;
    stmt text;
BEGIN
    PERFORM schema_oracle._helpers_refuse_transaction_block(caller);
    PERFORM schema_oracle._helpers_check_retry_settings(caller, lock_timeout, max_attempts,
                                                        base_delay, max_delay);
    s := schema_oracle._helpers_not_null_state(tbl, col);
    conname := s.conname;
    ours := coalesce(s.con_ours, false);
    IF s.already_not_null THEN
        IF ours THEN
            CALL schema_oracle._helpers_retry(
                pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, conname), caller,
                'DROP CONSTRAINT', lock_timeout, max_attempts, base_delay, max_delay,
                true, false, outcome);
            RAISE NOTICE 'set_not_null: dropped the leftover constraint %', pg_catalog.quote_ident(conname);
        END IF;
        RAISE NOTICE 'set_not_null: %.% is already NOT NULL', tbl, pg_catalog.quote_ident(col);
        RETURN;
    END IF;
    -- 1. CHECK (col IS NOT NULL) NOT VALID: a brief ACCESS EXCLUSIVE lock, no scan.
    IF conname IS NULL THEN
        conname := s.new_name;
        CALL schema_oracle._helpers_retry(
            pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID',
                              tbl, conname, col),
            caller, 'ADD CONSTRAINT ... NOT VALID', lock_timeout, max_attempts, base_delay,
            max_delay, jitter, false, outcome);
        -- The mark that says "ours, drop it at the end", in a transaction of
        -- its own: after the ACCESS EXCLUSIVE of the ADD, every further
        -- statement would keep that lock longer.
        CALL schema_oracle._helpers_retry(
            pg_catalog.format('COMMENT ON CONSTRAINT %I ON %s IS %L', conname, tbl,
                              schema_oracle._helpers_constraint_marker()),
            caller, 'COMMENT ON CONSTRAINT', lock_timeout, max_attempts, base_delay, max_delay,
            jitter, false, outcome);
        added := true;
        ours := true;
        RAISE NOTICE 'set_not_null: step 1 of 4: added % NOT VALID', pg_catalog.quote_ident(conname);
    END IF;
    -- 2. VALIDATE: scans the table under SHARE UPDATE EXCLUSIVE (writes go on).
    IF NOT coalesce(s.con_valid, false) THEN
        CALL schema_oracle._helpers_validate(
            caller, tbl, conname, pg_catalog.format('t.%I IS NULL', col), added, keep_invalid,
            'not_null_violation', 'have NULL in ' || pg_catalog.quote_ident(col), lock_timeout,
            max_attempts, base_delay, max_delay, jitter);
        RAISE NOTICE 'set_not_null: step 2 of 4: validated %', pg_catalog.quote_ident(conname);
    END IF;
    -- 3. SET NOT NULL: the valid CHECK proves it, so there is no scan (a
    --    brief ACCESS EXCLUSIVE lock).
    CALL schema_oracle._helpers_retry(
        pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', tbl, col), caller,
        'SET NOT NULL', lock_timeout, max_attempts, base_delay, max_delay, jitter, false,
        outcome);
    RAISE NOTICE 'set_not_null: step 3 of 4: %.% is NOT NULL', tbl, pg_catalog.quote_ident(col);
    -- 4. Drop our CHECK, now redundant, in its own transaction (in the same
    --    ALTER TABLE as SET NOT NULL the DROP would run first and SET NOT
    --    NULL would scan; a re-run after a failure here drops it).
    IF ours THEN
        CALL schema_oracle._helpers_retry(
            pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, conname), caller,
            'DROP CONSTRAINT', lock_timeout, max_attempts, base_delay, max_delay, jitter,
            false, outcome);
        RAISE NOTICE 'set_not_null: step 4 of 4: dropped %', pg_catalog.quote_ident(conname);
    END IF;
END
$$;
COMMENT ON PROCEDURE schema_oracle.set_not_null(regclass, name, boolean, text, integer, interval, interval, boolean) IS
    'SET NOT NULL without a long lock: CHECK NOT VALID, VALIDATE, SET NOT NULL (no scan), drop the CHECK; one transaction per step';

-- add_check: the state of a constraint called `conname`.
CREATE FUNCTION schema_oracle._helpers_check_state(tbl regclass, conname name, expression text,
                                                   OUT con_exists boolean, OUT con_valid boolean)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c record;
BEGIN
    IF tbl IS NULL OR conname IS NULL OR expression IS NULL THEN
        RAISE EXCEPTION 'add_check: table, name and expression cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF (SELECT relkind FROM pg_class WHERE oid = tbl) NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'add_check: % is not a table', tbl USING ERRCODE = 'wrong_object_type';
    END IF;
    SELECT x.contype, x.convalidated, pg_get_constraintdef(x.oid) AS def INTO c
    FROM pg_constraint x WHERE x.conrelid = tbl AND x.conname = _helpers_check_state.conname;
    con_exists := FOUND;
    IF con_exists AND c.contype <> 'c' THEN
        RAISE EXCEPTION 'add_check: % already has a constraint named % that is not a CHECK (%)',
                tbl, quote_ident(conname), c.def
            USING ERRCODE = 'duplicate_object';
    END IF;
    con_valid := coalesce(c.convalidated, false);
    IF con_exists THEN
        RAISE NOTICE 'add_check: % already exists: %', quote_ident(conname), c.def;
    END IF;
END
$$;

CREATE PROCEDURE schema_oracle.add_check(
    tbl regclass,
    name name,
    expression text,
    keep_invalid boolean DEFAULT false,
    lock_timeout text DEFAULT '1s',
    max_attempts integer DEFAULT 10,
    base_delay interval DEFAULT '100ms',
    max_delay interval DEFAULT '10s',
    jitter boolean DEFAULT true)
LANGUAGE plpgsql
AS $$
DECLARE
    caller constant text := 'schema_oracle.add_check()';
    s record;
    added boolean := false;
    outcome text;
    stmt text;
BEGIN
    PERFORM schema_oracle._helpers_refuse_transaction_block(caller);
    PERFORM schema_oracle._helpers_check_retry_settings(caller, lock_timeout, max_attempts,
                                                        base_delay, max_delay);
    s := schema_oracle._helpers_check_state(tbl, name, expression);
    IF s.con_valid THEN
        RAISE NOTICE 'add_check: % is already valid', pg_catalog.quote_ident(name);
        RETURN;
    END IF;
    IF NOT s.con_exists THEN
        stmt := pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s) NOT VALID', tbl, name, expression);
        -- The expression is the caller's text: it must stay one expression.
        PERFORM schema_oracle._helpers_one_ddl_statement(stmt, caller);
        CALL schema_oracle._helpers_retry(stmt, caller, 'ADD CONSTRAINT ... NOT VALID', lock_timeout,
                                          max_attempts, base_delay, max_delay, jitter,
                                          false, outcome);
        added := true;
        RAISE NOTICE 'add_check: step 1 of 2: added % NOT VALID', pg_catalog.quote_ident(name);
    END IF;
    CALL schema_oracle._helpers_validate(
        caller, tbl, name, pg_catalog.format('(%s) IS FALSE', expression), added, keep_invalid,
        'check_violation', 'violate ' || pg_catalog.quote_ident(name), lock_timeout, max_attempts,
        base_delay, max_delay, jitter);
    RAISE NOTICE 'add_check: step 2 of 2: validated %', pg_catalog.quote_ident(name);
END
$$;
COMMENT ON PROCEDURE schema_oracle.add_check(regclass, name, text, boolean, text, integer, interval, interval, boolean) IS
    'ADD CONSTRAINT CHECK without a long lock: NOT VALID, then VALIDATE, one transaction each';

-- Whether an index covers `attnums` of tbl: the rule of
-- include/schema_oracle/core/fk_coverage.hpp (a usable, non-partial index
-- whose first N key columns are the N columns as a set; other than btree
-- only for N = 1; expressions never count).
CREATE FUNCTION schema_oracle._helpers_fk_covered(tbl regclass, attnums int2[])
RETURNS boolean LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_am am ON am.oid = c.relam
        WHERE i.indrelid = tbl AND i.indisvalid AND i.indisready AND i.indislive
          AND i.indpred IS NULL
          AND i.indnkeyatts >= cardinality(attnums)
          AND (cardinality(attnums) = 1 OR am.amname = 'btree')
          AND (SELECT array_agg(k ORDER BY k)
               FROM unnest((i.indkey::int2[])[0:cardinality(attnums) - 1]) k)
              = (SELECT array_agg(a ORDER BY a) FROM unnest(attnums) a))
$$;

CREATE FUNCTION schema_oracle._helpers_attnums(tbl regclass, cols name[], caller text)
RETURNS int2[] LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    out int2[] := '{}';
    n int2;
BEGIN
    IF cols IS NULL OR cardinality(cols) = 0 THEN
        RAISE EXCEPTION '%: no columns given for %', caller, tbl USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 1 .. cardinality(cols) LOOP
        SELECT attnum INTO n FROM pg_attribute
        WHERE attrelid = tbl AND attname = cols[i] AND attnum > 0 AND NOT attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION '%: column % of % does not exist', caller, quote_ident(cols[i]), tbl
                USING ERRCODE = 'undefined_column';
        END IF;
        out := out || n;
    END LOOP;
    RETURN out;
END
$$;

-- The index of `rel` that foreign_key_index_sql() can use as the one it
-- would build, `CREATE INDEX ... (cols)`: a live, non-unique btree index on
-- exactly these columns in this order, nothing else (no INCLUDE, no
-- expression, no predicate), with each column's own collation and the
-- default operator class of the column's exact type (what PostgreSQL
-- picks for the statement; CompareIndexInfo, which ATTACH PARTITION runs,
-- then finds the two equal). A leaf's must be valid (an INVALID one is a
-- failed build, not an index); a partitioned table's may be invalid (an ON
-- ONLY index whose partitions are not all attached yet: an interrupted
-- recipe). Not one attached to another parent index than `parent_index`.
CREATE FUNCTION schema_oracle._helpers_reusable_index(rel regclass, cols name[], leaf boolean,
                                                      parent_index oid)
RETURNS oid LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT i.indexrelid
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = rel AND i.indislive
      AND (NOT leaf OR (i.indisvalid AND i.indisready))
      AND ic.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
      AND NOT i.indisunique AND NOT i.indisexclusion
      AND i.indnatts = cardinality(cols) AND i.indnkeyatts = cardinality(cols)
      AND i.indexprs IS NULL AND i.indpred IS NULL
      AND (SELECT array_agg(ROW(k.attnum, k.coll, k.opclass) ORDER BY k.o)
           FROM unnest(i.indkey::int2[], i.indcollation::oid[], i.indclass::oid[])
                WITH ORDINALITY k(attnum, coll, opclass, o))
          = (SELECT array_agg(ROW(a.attnum, a.attcollation,
                                  (SELECT opc.oid FROM pg_opclass opc
                                   WHERE opc.opcmethod = ic.relam AND opc.opcdefault
                                     AND opc.opcintype = a.atttypid)) ORDER BY u.o)
             FROM unnest(cols) WITH ORDINALITY u(c, o)
             JOIN pg_attribute a ON a.attrelid = rel AND a.attname = u.c AND NOT a.attisdropped)
      AND NOT EXISTS (SELECT 1 FROM pg_inherits h
                      WHERE h.inhrelid = i.indexrelid
                        AND h.inhparent IS DISTINCT FROM parent_index)
    ORDER BY i.indexrelid
    LIMIT 1
$$;

-- foreign_key_index_sql(tbl, cols): the CREATE INDEX CONCURRENTLY to run
-- before add_foreign_key(), one statement per row for psql's \gexec; no row
-- when an index already covers the columns. A partitioned table cannot be
-- indexed concurrently as a whole; its rows are PostgreSQL's recipe: an
-- index ON ONLY each partitioned table (invalid for now), CONCURRENTLY on
-- each leaf partition, then ATTACH PARTITION from the bottom up, which makes
-- the parents' indexes valid once every partition's is attached. A member
-- of the tree that already has such an index (_helpers_reusable_index: the
-- user's own, or the one an interrupted run of this recipe left) keeps it
-- and is attached, not indexed again; what is attached already is left, so
-- running the rows again after a failure finishes the work.
CREATE FUNCTION schema_oracle.foreign_key_index_sql(tbl regclass, cols name[])
RETURNS SETOF text LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    attnums int2[] := schema_oracle._helpers_attnums(tbl, cols, 'foreign_key_index_sql');
    collist text;
    m record;
    rels oid[] := '{}';
    kept_idx oid[] := '{}';    -- each member's reused index, or NULL
    idx_names text[] := '{}';  -- each member's index name (reused or new)
    parent_pos int;
BEGIN
    IF schema_oracle._helpers_fk_covered(tbl, attnums) THEN
        RETURN;
    END IF;
    SELECT string_agg(quote_ident(c), ', ' ORDER BY o) INTO collist FROM unnest(cols) WITH ORDINALITY u(c, o);
    IF (SELECT relkind FROM pg_class WHERE oid = tbl) <> 'p' THEN
        RETURN NEXT format('CREATE INDEX CONCURRENTLY %I ON %s (%s)',
                           schema_oracle._helpers_choose_name(tbl, cols, 'idx', true), tbl, collist);
        RETURN;
    END IF;
    -- Every member of the tree, parents before their partitions, with the
    -- index it keeps (which may be attached only to its parent's) or the
    -- name of its new one.
    FOR m IN SELECT t.relid, t.parentrelid, t.isleaf, t.level
             FROM pg_partition_tree(tbl) t
             ORDER BY t.level, t.relid
    LOOP
        parent_pos := array_position(rels, m.parentrelid);
        rels := rels || m.relid;
        kept_idx := kept_idx || schema_oracle._helpers_reusable_index(
                                  m.relid, cols, m.isleaf, kept_idx[parent_pos]);
        idx_names := idx_names || coalesce(
                         (SELECT relname::text FROM pg_class WHERE oid = kept_idx[cardinality(kept_idx)]),
                         schema_oracle._helpers_choose_name(m.relid, cols, 'idx', true));
    END LOOP;
    RETURN QUERY
    WITH tree AS (
        SELECT t.relid, t.parentrelid, t.isleaf, t.level, n.nspname,
               idx_names[array_position(rels, t.relid)] AS idx,
               kept_idx[array_position(rels, t.relid)] AS kept
        FROM pg_partition_tree(tbl) t
        JOIN pg_class c ON c.oid = t.relid
        JOIN pg_namespace n ON n.oid = c.relnamespace)
    SELECT s.stmt FROM (
        SELECT 1 AS phase, t.level AS depth, t.relid::text AS k,
               format('CREATE INDEX %I ON ONLY %s (%s)', t.idx, t.relid::regclass, collist) AS stmt
        FROM tree t WHERE NOT t.isleaf AND t.kept IS NULL
        UNION ALL
        SELECT 2, t.level, t.relid::text,
               format('CREATE INDEX CONCURRENTLY %I ON %s (%s)', t.idx, t.relid::regclass, collist)
        FROM tree t WHERE t.isleaf AND t.kept IS NULL
        UNION ALL
        SELECT 3, -child.level, child.relid::text,
               format('ALTER INDEX %I.%I ATTACH PARTITION %I.%I', parent.nspname, parent.idx,
                      child.nspname, child.idx)
        FROM tree child JOIN tree parent ON parent.relid = child.parentrelid
        WHERE NOT (child.kept IS NOT NULL AND parent.kept IS NOT NULL
                   AND EXISTS (SELECT 1 FROM pg_inherits h
                               WHERE h.inhrelid = child.kept AND h.inhparent = parent.kept))) s
    ORDER BY s.phase, s.depth, s.k;
END
$$;
COMMENT ON FUNCTION schema_oracle.foreign_key_index_sql(regclass, name[]) IS
    'The CREATE INDEX CONCURRENTLY that covers these foreign key columns (no row when covered), for \gexec';

-- add_foreign_key: the plan (statements and the existing constraint, if any).
CREATE FUNCTION schema_oracle._helpers_fk_plan(
    tbl regclass, cols name[], ref_tbl regclass, ref_cols name[], on_delete text, on_update text,
    want_name name, allow_unindexed boolean,
    OUT name name, OUT con_exists boolean, OUT con_valid boolean, OUT add_sql text,
    OUT condition text, OUT existing_def text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    caller constant text := 'add_foreign_key';
    attnums int2[];
    ref_attnums int2[];
    actions constant text[] := ARRAY['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];
    c record;
    collist text;
    refcollist text;
    index_sql text;
BEGIN
    IF tbl IS NULL OR ref_tbl IS NULL THEN
        RAISE EXCEPTION 'add_foreign_key: table and referenced table cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF (SELECT relkind FROM pg_class WHERE oid = tbl) NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'add_foreign_key: % is not a table', tbl USING ERRCODE = 'wrong_object_type';
    END IF;
    IF upper(on_delete) <> ALL (actions) OR upper(on_update) <> ALL (actions) OR on_delete IS NULL OR on_update IS NULL THEN
        RAISE EXCEPTION 'add_foreign_key: on_delete and on_update must be one of %', array_to_string(actions, ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    attnums := schema_oracle._helpers_attnums(tbl, cols, caller);
    IF ref_cols IS NULL THEN
        SELECT array_agg(a.attname ORDER BY k.ord) INTO ref_cols
        FROM pg_constraint x
        CROSS JOIN LATERAL unnest(x.conkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = x.conrelid AND a.attnum = k.attnum
        WHERE x.conrelid = ref_tbl AND x.contype = 'p';
        IF ref_cols IS NULL THEN
            RAISE EXCEPTION 'add_foreign_key: % has no primary key; name the referenced columns', ref_tbl
                USING ERRCODE = 'invalid_foreign_key';
        END IF;
    END IF;
    ref_attnums := schema_oracle._helpers_attnums(ref_tbl, ref_cols, caller);
    IF cardinality(attnums) <> cardinality(ref_attnums) THEN
        RAISE EXCEPTION 'add_foreign_key: % referencing column(s) but % referenced', cardinality(attnums), cardinality(ref_attnums)
            USING ERRCODE = 'invalid_foreign_key';
    END IF;
    SELECT string_agg(quote_ident(x), ', ' ORDER BY o) INTO collist FROM unnest(cols) WITH ORDINALITY u(x, o);
    SELECT string_agg(quote_ident(x), ', ' ORDER BY o) INTO refcollist FROM unnest(ref_cols) WITH ORDINALITY u(x, o);
    -- The same foreign key, under any name (an earlier run, or the user's).
    SELECT x.conname, x.convalidated, pg_get_constraintdef(x.oid) AS def INTO c
    FROM pg_constraint x
    WHERE x.conrelid = tbl AND x.contype = 'f' AND x.confrelid = ref_tbl
      AND x.conkey = attnums AND x.confkey = ref_attnums
      AND (want_name IS NULL OR x.conname = want_name)
    ORDER BY x.convalidated DESC, x.conname LIMIT 1;
    con_exists := FOUND;
    IF con_exists THEN
        name := c.conname;
        con_valid := c.convalidated;
        existing_def := c.def;
    ELSE
        con_valid := false;
        IF want_name IS NOT NULL THEN
            IF EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conrelid = tbl AND x.conname = want_name) THEN
                RAISE EXCEPTION 'add_foreign_key: % already has a different constraint named %', tbl, quote_ident(want_name)
                    USING ERRCODE = 'duplicate_object';
            END IF;
            name := want_name;
        ELSE
            name := schema_oracle._helpers_choose_name(tbl, cols, 'fkey');
        END IF;
    END IF;
    IF NOT con_valid AND (SELECT relkind FROM pg_class WHERE oid = tbl) = 'p' THEN
        RAISE EXCEPTION 'add_foreign_key: PostgreSQL 15 cannot add a NOT VALID foreign key to partitioned table %', tbl
            USING ERRCODE = 'feature_not_supported',
                  HINT = format('Call add_foreign_key() for each partition (%s), then run ALTER TABLE %s ADD FOREIGN KEY (%s) REFERENCES %s (%s) with the same actions: it adopts the partitions'' validated keys instead of scanning them.',
                                (SELECT string_agg(quote_literal(relid::regclass::text), ', ' ORDER BY relid::regclass::text)
                                 FROM pg_partition_tree(tbl) WHERE isleaf),
                                tbl, collist, ref_tbl, refcollist);
    END IF;
    IF NOT con_valid AND NOT allow_unindexed AND NOT schema_oracle._helpers_fk_covered(tbl, attnums) THEN
        SELECT string_agg(s, '; ') INTO index_sql FROM schema_oracle.foreign_key_index_sql(tbl, cols) s;
        RAISE EXCEPTION 'add_foreign_key: no index covers the foreign key columns (%) of %', collist, tbl
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('Without one, every DELETE from %s and every update of its key scans %s.', ref_tbl, tbl),
                  HINT = format('Run first, outside a transaction block: %s; (or in psql: SELECT schema_oracle.foreign_key_index_sql(%L, %L) \gexec), or pass allow_unindexed => true.',
                                index_sql, tbl::text, cols::text);
    END IF;
    add_sql := format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%s) REFERENCES %s (%s) ON DELETE %s ON UPDATE %s NOT VALID',
                      tbl, name, collist, ref_tbl, refcollist, upper(on_delete), upper(on_update));
    -- MATCH SIMPLE: a row with any NULL key column references nothing.
    SELECT string_agg(format('t.%I IS NOT NULL', x), ' AND ' ORDER BY o) INTO condition
    FROM unnest(cols) WITH ORDINALITY u(x, o);
    condition := condition || format(' AND NOT EXISTS (SELECT 1 FROM %s AS r WHERE %s)', ref_tbl,
        (SELECT string_agg(format('r.%I = t.%I', ref_cols[o], cols[o]), ' AND ' ORDER BY o)
         FROM generate_subscripts(cols, 1) o));
END
$$;

CREATE PROCEDURE schema_oracle.add_foreign_key(
    tbl regclass,
    cols name[],
    ref_tbl regclass,
    ref_cols name[] DEFAULT NULL,
    on_delete text DEFAULT 'NO ACTION',
    on_update text DEFAULT 'NO ACTION',
    name name DEFAULT NULL,
    allow_unindexed boolean DEFAULT false,
    keep_invalid boolean DEFAULT false,
    lock_timeout text DEFAULT '1s',
    max_attempts integer DEFAULT 10,
    base_delay interval DEFAULT '100ms',
    max_delay interval DEFAULT '10s',
    jitter boolean DEFAULT true)
LANGUAGE plpgsql
AS $$
DECLARE
    caller constant text := 'schema_oracle.add_foreign_key()';
    p record;
    added boolean := false;
    outcome text;
BEGIN
    PERFORM schema_oracle._helpers_refuse_transaction_block(caller);
    PERFORM schema_oracle._helpers_check_retry_settings(caller, lock_timeout, max_attempts,
                                                        base_delay, max_delay);
    p := schema_oracle._helpers_fk_plan(tbl, cols, ref_tbl, ref_cols, on_delete, on_update, name,
                                        allow_unindexed);
    IF p.con_valid THEN
        RAISE NOTICE 'add_foreign_key: % already exists and is valid: %', pg_catalog.quote_ident(p.name),
            p.existing_def;
        RETURN;
    END IF;
    IF NOT p.con_exists THEN
        CALL schema_oracle._helpers_retry(p.add_sql, caller, 'ADD CONSTRAINT ... NOT VALID',
                                          lock_timeout, max_attempts, base_delay,
                                          max_delay, jitter, false, outcome);
        added := true;
        RAISE NOTICE 'add_foreign_key: step 1 of 2: added % NOT VALID', pg_catalog.quote_ident(p.name);
    END IF;
    CALL schema_oracle._helpers_validate(
        caller, tbl, p.name, p.condition, added, keep_invalid, 'foreign_key_violation',
        'reference no row of ' || ref_tbl::text, lock_timeout, max_attempts, base_delay,
        max_delay, jitter);
    RAISE NOTICE 'add_foreign_key: step 2 of 2: validated %', pg_catalog.quote_ident(p.name);
END
$$;
COMMENT ON PROCEDURE schema_oracle.add_foreign_key(regclass, name[], regclass, name[], text, text, name, boolean, boolean, text, integer, interval, interval, boolean) IS
    'ADD FOREIGN KEY without a long lock: NOT VALID, then VALIDATE, one transaction each; refuses when no index covers the columns';
