-- report_fk: fk_missing_index (the FK coverage definition), fk_type_mismatch,
-- constraint_not_valid. Own schema; dropped at the end.
CREATE SCHEMA rpt_fk;
SET search_path = rpt_fk;
SET client_min_messages = error;  -- the DDL guard's warnings are not what these tests are about

CREATE TABLE posts (id bigint PRIMARY KEY, author_id int NOT NULL, UNIQUE (id, author_id));
CREATE TABLE users (id int PRIMARY KEY);

-- fires: no index at all
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts);
-- silent: composite FK covered by an index in a different column order
CREATE TABLE likes (id int PRIMARY KEY, post_id bigint, author_id int,
    FOREIGN KEY (post_id, author_id) REFERENCES posts (id, author_id));
CREATE INDEX likes_author_post_idx ON likes (author_id, post_id);
-- silent: a single-column FK leading a composite index (extra trailing column)
CREATE TABLE shares (id int PRIMARY KEY, post_id bigint REFERENCES posts, at timestamptz);
CREATE INDEX shares_post_at_idx ON shares (post_id, at);
-- silent: covered by a composite primary key that leads with it
CREATE TABLE tags (post_id bigint REFERENCES posts, tag text, PRIMARY KEY (post_id, tag));
-- fires: only index is partial
CREATE TABLE flags (id int PRIMARY KEY, post_id bigint REFERENCES posts, open boolean);
CREATE INDEX flags_open_post_idx ON flags (post_id) WHERE open;
-- fires: FK column second in the only index
CREATE TABLE votes (id int PRIMARY KEY, user_id int REFERENCES users, post_id bigint REFERENCES posts);
CREATE INDEX votes_user_post_idx ON votes (user_id, post_id);
-- silent: hash index on a single FK column
CREATE TABLE views (id int PRIMARY KEY, user_id int REFERENCES users);
CREATE INDEX views_user_hash ON views USING hash (user_id);
-- fires: expression index
CREATE TABLE clicks (id int PRIMARY KEY, user_id int REFERENCES users);
CREATE INDEX clicks_expr_idx ON clicks ((user_id + 0));
-- fires: FK column only as an INCLUDE column
CREATE TABLE reads (id int PRIMARY KEY, user_id int REFERENCES users);
CREATE INDEX reads_id_incl ON reads (id) INCLUDE (user_id);
-- fires: composite FK with only half covered
CREATE TABLE quotes (id int PRIMARY KEY, post_id bigint, author_id int,
    FOREIGN KEY (post_id, author_id) REFERENCES posts (id, author_id));
CREATE INDEX quotes_post_idx ON quotes (post_id);
-- partitioned: one finding at the parent, none per partition
CREATE TABLE events (id bigint, user_id int REFERENCES users, at date NOT NULL)
    PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- partitioned and covered by a partitioned index: silent
CREATE TABLE visits (id bigint, user_id int REFERENCES users, at date NOT NULL)
    PARTITION BY RANGE (at);
CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX visits_user_idx ON visits (user_id);
-- a name that needs quoting
CREATE TABLE "Mixed Case" (id int PRIMARY KEY, "userId" int REFERENCES users);

SELECT object_identity, message, detail, fix
FROM schema_oracle.report(include_schemas => '{rpt_fk}', rules => '{fk_missing_index}');

-- The fixes run and silence the rule (the partitioned one has no fix: CONCURRENTLY
-- does not work on a partitioned table).
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_fk}', rules => '{fk_missing_index}')
WHERE fix IS NOT NULL \gexec
SELECT object_identity, fix IS NULL AS no_fix
FROM schema_oracle.report(include_schemas => '{rpt_fk}', rules => '{fk_missing_index}');

-- fk_type_mismatch: int referencing bigint fires; same types are silent
CREATE TABLE pins (id int PRIMARY KEY, post_id int REFERENCES posts (id));
CREATE INDEX ON pins (post_id);
SELECT object_identity, message
FROM schema_oracle.report(include_schemas => '{rpt_fk}', rules => '{fk_type_mismatch}');

-- constraint_not_valid: NOT VALID FK and CHECK fire; validated ones do not
ALTER TABLE pins ADD CONSTRAINT pins_id_positive CHECK (id > 0) NOT VALID;
ALTER TABLE shares ADD CONSTRAINT shares_user_fk FOREIGN KEY (id) REFERENCES users NOT VALID;
ALTER TABLE views ADD CONSTRAINT views_id_check CHECK (id > 0) NOT VALID;
ALTER TABLE views VALIDATE CONSTRAINT views_id_check;
SELECT severity, object_type, object_identity, message, fix
FROM schema_oracle.report(include_schemas => '{rpt_fk}', rules => '{constraint_not_valid}');
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_fk}', rules => '{constraint_not_valid}')
WHERE fix IS NOT NULL \gexec
SELECT count(*) FROM schema_oracle.report(include_schemas => '{rpt_fk}', rules => '{constraint_not_valid}');

RESET search_path;
DROP SCHEMA rpt_fk CASCADE;
