#!/usr/bin/perl
# ddl_fuzz.pl SEED STATEMENTS: writes a psql script of generated DDL to stdout.
#
# The same seed gives the same script (Perl's own generator, seeded), so a
# failure found by test/fuzz/ddl_fuzz.sh is replayed by running it again.
# The script works on every relation kind PostgreSQL 15 has (plain,
# partitioned, partition, inheritance parent and child, typed, temporary,
# unlogged, view, materialized view, foreign table via file_fdw), under
# hostile names, and draws every ALTER TABLE sub-command and the other DDL
# forms the guard judges, inside and outside transaction blocks, with random
# savepoints rolled back. Many statements fail (a column already dropped, a
# form PostgreSQL refuses on that relation kind): that is part of the point,
# and the failures are the same with and without the extension.
#
# Only core Perl (Debian's perl-base): no module to install.
use strict;
use warnings;

my ($seed, $count) = @ARGV;
die "usage: ddl_fuzz.pl SEED STATEMENTS\n" unless defined $count && $count =~ /^\d+$/;
srand($seed);

sub pick { return $_[int(rand(@_))]; }
sub chance { return rand() < $_[0]; }

# A quoted identifier, the way quote_ident writes one.
sub qi {
    my ($name) = @_;
    (my $q = $name) =~ s/"/""/g;
    return "\"$q\"";
}
# A quoted literal, the way quote_literal writes one.
sub ql {
    my ($s) = @_;
    (my $q = $s) =~ s/'/''/g;
    return "'$q'";
}

# Hostile names: quotes, spaces, shell metacharacters, SQL punctuation,
# non-ASCII, reserved words, names like ours, 63-byte names (PostgreSQL's
# limit, so every derived name must be truncated the way PostgreSQL does).
my @hostile = (
    'plain', 'Mixed Case', 'a"quote', "it's", 'semi;colon', '$(touch /tmp/so_fuzz_pwned)',
    '`id`', 'back\\slash', 'ünïcødé', 'select', 'pg_temp', 'schema_oracle', 'tab	tab',
    'x' x 63, ('y' x 60) . '_id', '--comment', '/*c*/', 'percent%s', 'new line',
);
my $schema = 'fz ' . pick('sch"ema', "o'brien", 'Z$(x)', 'plain');

# Relations of this epoch: [qualified name, kind, columns...].
my @rels;
my $epoch = 0;
my $in_tx = 0;
my @savepoints;
my $nstmt = 0;

sub rel_name {
    my ($kind, $i) = @_;
    my $base = pick(@hostile);
    my $name = substr("$kind $i $base", 0, 63);
    return $name;
}

sub q_rel { my ($r) = @_; return $r->{temp} ? qi($r->{name}) : qi($schema) . '.' . qi($r->{name}); }

sub emit { print $_[0], "\n"; $nstmt++; }

# A fresh set of relations of every kind, with a few rows each.
sub new_epoch {
    $epoch++;
    @rels = ();
    emit("COMMIT;") if $in_tx;
    $in_tx = 0;
    @savepoints = ();
    emit("DROP SCHEMA IF EXISTS " . qi($schema) . " CASCADE;");
    emit("CREATE SCHEMA " . qi($schema) . ";");
    my $s = qi($schema);
    my $cols = "id bigint, a int, b text, c timestamptz DEFAULT now(), d numeric(10,2), e varchar(20)";
    my $i = 0;
    my $add = sub {
        my ($kind, $name, $sql, %opt) = @_;
        my $r = {name => $name, kind => $kind, cols => [qw(id a b c d e)], %opt};
        push @rels, $r;
        emit($sql);
        return $r;
    };
    my $n;
    $n = rel_name('plain', $epoch);
    my $plain = $add->('plain', $n, "CREATE TABLE $s." . qi($n) . " ($cols, PRIMARY KEY (id));");
    $n = rel_name('parted', $epoch);
    my $parted = $add->('partitioned', $n,
        "CREATE TABLE $s." . qi($n) . " ($cols) PARTITION BY RANGE (id);");
    for my $p (0 .. 1) {
        my $pn = rel_name("part$p", $epoch);
        $add->('partition', $pn, "CREATE TABLE $s." . qi($pn) . " PARTITION OF " . q_rel($parted)
            . " FOR VALUES FROM (" . ($p * 1000) . ") TO (" . (($p + 1) * 1000) . ");", parent => $parted);
    }
    my $dn = rel_name('pdefault', $epoch);
    $add->('partition', $dn, "CREATE TABLE $s." . qi($dn) . " PARTITION OF " . q_rel($parted) . " DEFAULT;",
        parent => $parted);
    $n = rel_name('inh parent', $epoch);
    my $ip = $add->('inh_parent', $n, "CREATE TABLE $s." . qi($n) . " ($cols);");
    $n = rel_name('inh child', $epoch);
    $add->('inh_child', $n, "CREATE TABLE $s." . qi($n) . " (extra int) INHERITS (" . q_rel($ip) . ");",
        parent => $ip);
    my $tn = "pair type $epoch";
    emit("CREATE TYPE $s." . qi($tn) . " AS (id bigint, a int, b text);");
    $n = rel_name('typed', $epoch);
    my $typed = $add->('typed', $n, "CREATE TABLE $s." . qi($n) . " OF $s." . qi($tn) . ";");
    $typed->{cols} = [qw(id a b)];
    $n = rel_name('unlogged', $epoch);
    $add->('unlogged', $n, "CREATE UNLOGGED TABLE $s." . qi($n) . " ($cols);");
    $n = rel_name('temp', $epoch);
    $add->('temp', $n, "CREATE TEMP TABLE " . qi($n) . " ($cols);", temp => 1);
    for my $r (grep { $_->{kind} =~ /^(plain|partitioned|inh_parent|inh_child|unlogged|temp|typed)$/ } @rels) {
        my $ncols = $r->{kind} eq 'typed' ? "(id, a, b)" : "(id, a, b, d, e)";
        my $vals = $r->{kind} eq 'typed' ? "g, g % 7, 'v' || g" : "g, g % 7, 'v' || g, g / 3.0, 'e' || g";
        emit("INSERT INTO " . q_rel($r) . " $ncols SELECT $vals FROM generate_series(1, 40) g;");
    }
    $n = rel_name('view', $epoch);
    $add->('view', $n, "CREATE VIEW $s." . qi($n) . " AS SELECT id, a, b FROM " . q_rel($plain) . ";");
    $n = rel_name('matview', $epoch);
    $add->('matview', $n, "CREATE MATERIALIZED VIEW $s." . qi($n) . " AS SELECT id, a, b FROM "
        . q_rel($plain) . ";");
    $n = rel_name('foreign', $epoch);
    $add->('foreign', $n, "CREATE FOREIGN TABLE $s." . qi($n) . " (id bigint, a int, b text) SERVER fuzz_files"
        . " OPTIONS (filename '/dev/null', format 'csv');");
    emit("CREATE TYPE $s.mood AS ENUM ('sad', 'ok');");
    emit("CREATE DOMAIN $s.posint AS int CHECK (VALUE > 0);");
    emit("CREATE SEQUENCE $s." . qi("seq $epoch") . " AS int;");
}

sub rel { return pick(@rels); }
sub table_rel { my @t = grep { $_->{kind} !~ /^(view|matview|foreign)$/ } @rels; return pick(@t); }
sub col { my ($r) = @_; return pick(@{$r->{cols}}); }
sub newcol { my $c = 'c ' . pick(@hostile); $c = substr($c, 0, 63); return $c; }
sub type { return pick('int', 'bigint', 'text', 'varchar(10)', 'varchar(200)', 'numeric(12,2)',
        'timestamptz', 'timestamp(3)', 'char(5)', 'char(50)', 'jsonb', 'json', 'smallint',
        'serial', 'double precision', 'uuid', qi($schema) . '.mood', qi($schema) . '.posint'); }
sub expr { return pick('0', '1', "'x'", 'now()', 'random()', 'gen_random_uuid()', 'NULL',
        'clock_timestamp()', "'" . ('long' x 300) . "'", '42::bigint', "nextval('" . qi($schema) . '.' . qi("seq $epoch") . "')"); }

# One ALTER TABLE sub-command on relation $r.
sub subcommand {
    my ($r) = @_;
    my $c = qi(col($r));
    my $nc = qi(newcol());
    my $other = table_rel();
    my $cn = qi(substr('con ' . pick(@hostile), 0, 63));
    my $nv = chance(0.5) ? ' NOT VALID' : '';
    return pick(
        "ADD COLUMN $nc " . type(),
        "ADD COLUMN $nc " . type() . " DEFAULT " . expr(),
        "ADD COLUMN IF NOT EXISTS $nc int NOT NULL DEFAULT 0",
        "ADD COLUMN $nc int CHECK ($nc > 0)",
        "ADD COLUMN $nc bigint REFERENCES " . q_rel($other) . " (id)",
        "ADD COLUMN $nc bigint GENERATED ALWAYS AS (id * 2) STORED",
        "ADD COLUMN $nc bigint GENERATED BY DEFAULT AS IDENTITY",
        "ADD COLUMN $nc serial",
        "ADD COLUMN $nc int UNIQUE",
        "DROP COLUMN $c", "DROP COLUMN IF EXISTS $c CASCADE",
        "ALTER COLUMN $c TYPE " . type(), "ALTER COLUMN $c TYPE text USING ${c}::text",
        "ALTER COLUMN $c TYPE bigint USING length(${c}::text)",
        "ALTER COLUMN $c SET DATA TYPE varchar(30) COLLATE \"C\"",
        "ALTER COLUMN $c SET DEFAULT " . expr(), "ALTER COLUMN $c DROP DEFAULT",
        "ALTER COLUMN $c SET NOT NULL", "ALTER COLUMN $c DROP NOT NULL",
        "ALTER COLUMN $c ADD GENERATED ALWAYS AS IDENTITY", "ALTER COLUMN $c SET GENERATED BY DEFAULT",
        "ALTER COLUMN $c DROP IDENTITY IF EXISTS", "ALTER COLUMN $c DROP EXPRESSION IF EXISTS",
        "ALTER COLUMN $c SET STATISTICS " . int(rand(1000)), "ALTER COLUMN $c SET (n_distinct = -1)",
        "ALTER COLUMN $c RESET (n_distinct)", "ALTER COLUMN $c SET STORAGE " . pick('PLAIN', 'EXTERNAL', 'EXTENDED', 'MAIN'),
        "ALTER COLUMN $c SET COMPRESSION pglz",
        "ADD CONSTRAINT $cn CHECK ($c IS NOT NULL)$nv",
        "ADD CONSTRAINT $cn CHECK (length(${c}::text) < " . int(rand(100)) . ")$nv",
        "ADD CONSTRAINT $cn CHECK (" . join(' OR ', map { "id <> $_" } 1 .. 400) . ")$nv",
        "ADD CONSTRAINT $cn UNIQUE ($c)", "ADD PRIMARY KEY ($c)", "ADD UNIQUE (id, $c) INCLUDE (a)",
        "ADD CONSTRAINT $cn FOREIGN KEY ($c) REFERENCES " . q_rel($other) . " (id)$nv",
        "ADD FOREIGN KEY (id) REFERENCES " . q_rel($other) . " ON DELETE CASCADE",
        "ADD CONSTRAINT $cn EXCLUDE USING btree (id WITH =)",
        "ADD CONSTRAINT $cn UNIQUE USING INDEX " . qi(substr("idx " . pick(@hostile), 0, 63)),
        "ALTER CONSTRAINT $cn DEFERRABLE INITIALLY DEFERRED", "VALIDATE CONSTRAINT $cn",
        "DROP CONSTRAINT $cn", "DROP CONSTRAINT IF EXISTS $cn CASCADE",
        "DISABLE TRIGGER ALL", "ENABLE TRIGGER ALL", "DISABLE TRIGGER USER", "ENABLE REPLICA TRIGGER ALL",
        "ENABLE ALWAYS TRIGGER ALL", "DISABLE RULE r", "ENABLE RULE r",
        "ENABLE ROW LEVEL SECURITY", "DISABLE ROW LEVEL SECURITY", "FORCE ROW LEVEL SECURITY",
        "NO FORCE ROW LEVEL SECURITY", "CLUSTER ON " . qi(substr("idx " . pick(@hostile), 0, 63)),
        "SET WITHOUT CLUSTER", "SET WITHOUT OIDS", "SET ACCESS METHOD heap", "SET TABLESPACE pg_default",
        "SET LOGGED", "SET UNLOGGED", "SET (fillfactor = " . (10 + int(rand(90))) . ")",
        "RESET (fillfactor)", "SET (autovacuum_enabled = false)",
        "INHERIT " . q_rel($other), "NO INHERIT " . q_rel($other),
        "OF " . qi($schema) . '.' . qi("pair type $epoch"), "NOT OF",
        "OWNER TO " . pick('fuzz_owner', 'postgres', 'CURRENT_USER'),
        "REPLICA IDENTITY " . pick('FULL', 'DEFAULT', 'NOTHING'),
        "REPLICA IDENTITY USING INDEX " . qi(substr("idx " . pick(@hostile), 0, 63)),
        "ALTER COLUMN $c RESTART WITH 100", "ALTER COLUMN $c SET INCREMENT BY 2",
        "ALTER COLUMN $c SET DATA TYPE numeric(20,4)", "ALTER COLUMN $c TYPE timestamptz USING now()",
    );
}

# One statement of any form on a random relation.
sub statement {
    my $r = rel();
    my $t = table_rel();
    my $q = q_rel($r);
    my $tq = q_rel($t);
    my $c = qi(col($t));
    my $idx = qi(substr("idx " . pick(@hostile), 0, 63));
    my $s = qi($schema);
    my $only = chance(0.2) ? 'ONLY ' : '';
    my $w = rand();
    if ($w < 0.45) {
        my @subs = (subcommand($t));
        push @subs, subcommand($t) while chance(0.25) && @subs < 4;
        return "ALTER TABLE " . (chance(0.1) ? 'IF EXISTS ' : '') . $only . $tq . " " . join(', ', @subs) . ";";
    }
    return pick(
        "CREATE INDEX $idx ON $only$tq ($c);",
        "CREATE UNIQUE INDEX IF NOT EXISTS $idx ON $tq (id);",
        "CREATE INDEX CONCURRENTLY $idx ON $tq ($c) " . pick('', 'WHERE a > 0', 'INCLUDE (id)') . ";",
        "CREATE INDEX $idx ON $tq USING " . pick('btree', 'hash', 'brin', 'gin') . " ($c);",
        "CREATE INDEX ON $tq (lower(${c}::text) COLLATE \"C\" text_pattern_ops DESC NULLS LAST) WITH (fillfactor = 70);",
        "CREATE INDEX ON $tq ((" . join(' + ', map { "coalesce(a, $_)" } 1 .. 200) . "));",
        "CREATE INDEX $idx ON " . q_rel(rel()) . " (id);",
        "DROP INDEX " . (chance(0.5) ? 'CONCURRENTLY ' : '') . "IF EXISTS $s.$idx;",
        "ALTER INDEX IF EXISTS $s.$idx RENAME TO " . qi(substr("idx2 " . pick(@hostile), 0, 63)) . ";",
        "ALTER INDEX IF EXISTS $s.$idx SET TABLESPACE pg_default;",
        "REINDEX " . (chance(0.5) ? '(CONCURRENTLY) ' : '') . "TABLE $tq;",
        "REINDEX TABLE CONCURRENTLY $tq;", "REINDEX INDEX $s.$idx;",
        "CLUSTER $tq USING $idx;", "VACUUM FULL $tq;", "VACUUM (ANALYZE) $tq;", "ANALYZE $tq;",
        "TRUNCATE $tq" . pick('', ' CASCADE', ' RESTART IDENTITY') . ";",
        "LOCK TABLE $tq IN " . pick('ACCESS SHARE', 'SHARE', 'ACCESS EXCLUSIVE') . " MODE;",
        "ALTER TABLE $tq RENAME TO " . qi(substr("renamed " . pick(@hostile), 0, 63)) . ";",
        "ALTER TABLE $tq RENAME COLUMN $c TO " . qi(newcol()) . ";",
        "ALTER TABLE $tq RENAME CONSTRAINT " . qi('con ' . pick(@hostile)) . " TO " . qi('k ' . pick(@hostile)) . ";",
        "ALTER TABLE $tq SET SCHEMA public;",
        "ALTER TABLE ALL IN TABLESPACE pg_default OWNED BY fuzz_owner SET TABLESPACE pg_default;",
        "ALTER TABLE $q ATTACH PARTITION $tq FOR VALUES FROM (5000) TO (6000);",
        "ALTER TABLE $q ATTACH PARTITION $tq DEFAULT;",
        "ALTER TABLE $q DETACH PARTITION $tq" . pick('', ' CONCURRENTLY', ' FINALIZE') . ";",
        "CREATE TABLE $s." . qi(substr("new " . pick(@hostile), 0, 63)) . " PARTITION OF $tq FOR VALUES FROM (2000) TO (3000);",
        "CREATE TABLE $s." . qi(substr("ctas " . pick(@hostile), 0, 63)) . " AS SELECT * FROM $q;",
        "CREATE TABLE $s." . qi(substr("like " . pick(@hostile), 0, 63)) . " (LIKE $tq INCLUDING ALL);",
        "DROP TABLE IF EXISTS $tq" . pick('', ' CASCADE') . ";",
        "DROP VIEW IF EXISTS $q;", "DROP MATERIALIZED VIEW IF EXISTS $q CASCADE;",
        "DROP FOREIGN TABLE IF EXISTS $q;",
        "CREATE OR REPLACE VIEW $s." . qi(substr("v " . pick(@hostile), 0, 63)) . " AS SELECT * FROM $q;",
        "ALTER VIEW IF EXISTS $q RENAME COLUMN a TO " . qi(newcol()) . ";",
        "REFRESH MATERIALIZED VIEW " . (chance(0.5) ? 'CONCURRENTLY ' : '') . "$q;",
        "CREATE UNIQUE INDEX ON $q (id);",
        "ALTER FOREIGN TABLE IF EXISTS $q ADD COLUMN " . qi(newcol()) . " int;",
        "ALTER FOREIGN TABLE IF EXISTS $q ALTER COLUMN a TYPE bigint;",
        "ALTER FOREIGN TABLE IF EXISTS $q OPTIONS (SET format 'text');",
        "ALTER TYPE $s.mood ADD VALUE IF NOT EXISTS " . ql(pick(@hostile)) . ";",
        "ALTER TYPE $s.mood RENAME VALUE 'ok' TO " . ql(pick(@hostile)) . ";",
        "ALTER TYPE $s." . qi("pair type $epoch") . " ALTER ATTRIBUTE a TYPE bigint CASCADE;",
        "ALTER TYPE $s." . qi("pair type $epoch") . " ADD ATTRIBUTE " . qi(newcol()) . " int CASCADE;",
        "ALTER DOMAIN $s.posint ADD CONSTRAINT " . qi('dc ' . pick(@hostile)) . " CHECK (VALUE < 1000000) NOT VALID;",
        "ALTER DOMAIN $s.posint VALIDATE CONSTRAINT " . qi('dc ' . pick(@hostile)) . ";",
        "ALTER DOMAIN $s.posint SET NOT NULL;",
        "ALTER SEQUENCE $s." . qi("seq $epoch") . " AS " . pick('smallint', 'bigint') . ";",
        "ALTER SEQUENCE $s." . qi("seq $epoch") . " RESTART WITH 100;",
        "COMMENT ON TABLE $tq IS " . ql(pick(@hostile)) . ";",
        "COMMENT ON COLUMN $tq.$c IS NULL;",
        "GRANT SELECT ON $q TO fuzz_owner;", "REVOKE ALL ON $q FROM fuzz_owner;",
        "CREATE RULE r AS ON INSERT TO $tq DO ALSO NOTIFY fuzz;",
        "CREATE TRIGGER " . qi(substr("trg " . pick(@hostile), 0, 63)) . " BEFORE UPDATE ON $tq FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();",
        "CREATE POLICY " . qi(substr("pol " . pick(@hostile), 0, 63)) . " ON $tq USING (true);",
        "CREATE STATISTICS IF NOT EXISTS $s." . qi(substr("st " . pick(@hostile), 0, 63)) . " ON id, a FROM $tq;",
        "SET lock_timeout = " . pick("'1s'", "'0'", "'100ms'") . ";",
        "RESET lock_timeout;",
        "INSERT INTO $tq (id) VALUES (" . int(rand(3000)) . ");",
        "DROP TYPE IF EXISTS $s.mood CASCADE;",
        "DROP DOMAIN IF EXISTS $s.posint CASCADE;",
        "DROP SCHEMA IF EXISTS $s RESTRICT;",
        "CREATE INDEX $idx ON ONLY $tq (id);",
        "ALTER INDEX IF EXISTS $s.$idx ATTACH PARTITION $s." . qi(substr("idx " . pick(@hostile), 0, 63)) . ";",
        "REINDEX SCHEMA $s;",
        "ALTER MATERIALIZED VIEW IF EXISTS $q SET TABLESPACE pg_default;",
        "ALTER VIEW IF EXISTS $q ALTER COLUMN a SET DEFAULT 1;",
        "CREATE TABLE $s." . qi(substr("orm " . pick(@hostile), 0, 63)) . " (id bigint PRIMARY KEY, ref bigint REFERENCES $tq (id));",
        "CREATE TABLE $s." . qi(substr("def " . pick(@hostile), 0, 63)) . " PARTITION OF $tq DEFAULT;",
        "ALTER TABLE $tq ADD COLUMN " . qi(newcol()) . " int, ADD CONSTRAINT " . qi('k ' . pick(@hostile)) . " CHECK (a > 0);",
    );
}

print "-- generated by test/fuzz/ddl_fuzz.pl, seed $seed, $count statements\n";
new_epoch();
my $epoch_len = 250;
my $since = 0;
while ($nstmt < $count) {
    if ($since >= $epoch_len) { new_epoch(); $since = 0; next; }
    $since++;
    if (!$in_tx && chance(0.15)) {
        emit(pick('BEGIN;', 'START TRANSACTION ISOLATION LEVEL REPEATABLE READ;', 'BEGIN;'));
        $in_tx = 1;
        @savepoints = ();
        next;
    }
    if ($in_tx) {
        my $w = rand();
        if ($w < 0.08) {
            my $sp = "sp" . scalar(@savepoints);
            push @savepoints, $sp;
            emit("SAVEPOINT $sp;");
            next;
        }
        if ($w < 0.14 && @savepoints) {
            my $k = int(rand(@savepoints));
            emit("ROLLBACK TO SAVEPOINT $savepoints[$k];");
            splice(@savepoints, $k + 1);
            next;
        }
        if ($w < 0.16 && @savepoints) {
            emit("RELEASE SAVEPOINT " . pop(@savepoints) . ";");
            next;
        }
        if ($w < 0.22) {
            emit(chance(0.75) ? 'COMMIT;' : 'ROLLBACK;');
            $in_tx = 0;
            next;
        }
    }
    emit(statement());
}
emit('COMMIT;') if $in_tx;
