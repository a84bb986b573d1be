# migration.sh: the migration both guard benchmarks run (sourced).
#
# so_bench_migration TABLES FILE writes TABLES * 8 statements to FILE: per
# table one CREATE TABLE with a foreign key to the previous table, an index
# on it, a second index, two ALTER TABLEs (a column with a constant default,
# a CHECK), and three COMMENTs, after SET lock_timeout as a careful
# migration does.
so_bench_migration() {
    local tables=$1 file=$2 i fk
    {
        echo "SET lock_timeout = '5s';"
        echo "CREATE SCHEMA bench;"
        for i in $(seq 1 "$tables"); do
            if [ "$i" -eq 1 ]; then fk=""; else fk=", parent_id bigint REFERENCES bench.t$((i - 1)) (id)"; fi
            cat <<SQL
CREATE TABLE bench.t$i (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), payload jsonb$fk);
CREATE INDEX t${i}_created_idx ON bench.t$i (created_at);
CREATE INDEX t${i}_name_idx ON bench.t$i (name);
ALTER TABLE bench.t$i ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE bench.t$i ADD CONSTRAINT t${i}_status_check CHECK (status <> '');
COMMENT ON TABLE bench.t$i IS 'table $i';
COMMENT ON COLUMN bench.t$i.name IS 'display name';
COMMENT ON COLUMN bench.t$i.status IS 'workflow state';
SQL
        done
    } >"$file"
    chmod 0644 "$file"
}
