-- erd_dictionary: data_dictionary() in Markdown and JSON on a small schema:
-- comments, sizes and row estimates, columns (type, nullability, default,
-- identity, generated), constraints, indexes, foreign keys out and in,
-- triggers, partitioned tables, and the documentation coverage.
CREATE SCHEMA erd_dict;
SET client_min_messages = error;
CREATE TABLE erd_dict.authors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    email text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE erd_dict.authors IS 'Who writes';
COMMENT ON COLUMN erd_dict.authors.name IS 'Display name | shown publicly';
CREATE TABLE erd_dict.books (
    id bigint PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES erd_dict.authors ON DELETE CASCADE,
    title text NOT NULL CHECK (title <> ''),
    price_cents int NOT NULL DEFAULT 0,
    price numeric GENERATED ALWAYS AS (price_cents / 100.0) STORED
);
CREATE INDEX books_author_id_idx ON erd_dict.books (author_id);
CREATE FUNCTION erd_dict.noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER books_noop BEFORE UPDATE ON erd_dict.books FOR EACH ROW EXECUTE FUNCTION erd_dict.noop();
CREATE TRIGGER books_off AFTER INSERT ON erd_dict.books FOR EACH ROW EXECUTE FUNCTION erd_dict.noop();
ALTER TABLE erd_dict.books DISABLE TRIGGER books_off;
CREATE TABLE erd_dict.sales (id bigint NOT NULL, sold_on date NOT NULL, book_id bigint REFERENCES erd_dict.books)
    PARTITION BY RANGE (sold_on);
CREATE TABLE erd_dict.sales_2025 PARTITION OF erd_dict.sales FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO erd_dict.authors (name) SELECT 'a' || g FROM generate_series(1, 100) g;
ANALYZE erd_dict.authors;
RESET client_min_messages;
\pset format unaligned
\pset tuples_only on
SELECT schema_oracle.data_dictionary(include_schemas => '{erd_dict}');
SELECT schema_oracle.data_dictionary(format => 'JSON', include_schemas => '{erd_dict}');
\pset tuples_only off
-- JSON is valid and the coverage counts add up
SELECT d->'coverage'->>'tables' AS tables, d->'coverage'->>'tables_with_comment' AS commented_tables,
       d->'coverage'->>'columns' AS columns, d->'coverage'->>'columns_with_comment' AS commented_columns
FROM (SELECT schema_oracle.data_dictionary(format => 'json', include_schemas => '{erd_dict}')::jsonb AS d) x;
-- no tables: still a document
\pset tuples_only on
SELECT schema_oracle.data_dictionary(include_schemas => '{no_such_schema}');
SET client_min_messages = error;
DROP SCHEMA erd_dict CASCADE;
