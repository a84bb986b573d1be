#!/usr/bin/perl
# refused_classes.pl RUN_SQL BLOCK_ERR: the statements the guard blocked in
# the block run that PostgreSQL itself refuses, grouped by class.
#
# test/fuzz/ddl_fuzz.sh runs the block database's script with a probe after
# every statement: when the statement got SO001, it runs again at once with
# the guard off, in the same state (same transaction, same savepoint), between
# the markers "so_fuzz_rerun" and "so_fuzz_rerun_end" (psql \warn). So the
# block run follows the run without the extension statement by statement, and
# the rerun's error, if any, is exactly PostgreSQL's answer to the statement
# the guard blocked.
#
# Each rerun that failed is one of two kinds:
#   - data: PostgreSQL refuses it only after reading the table's rows under
#     the statement's lock (SQLSTATE class 23, a row violates the new
#     constraint or index; class 22 but 22023, a row's value does not
#     convert): the
#     scan or rewrite the guard blocked really happens, and it is the hazard.
#     Expected; counted, not a failure.
#   - refused: PostgreSQL refuses it from what the catalog says (any other
#     SQLSTATE): the guard should have left it to PostgreSQL
#     (src/upstream/refusals.cpp). Each is a failure.
#   - rule: a CONCURRENTLY form inside a transaction block, which the rule
#     concurrently_in_transaction exists to say before PostgreSQL does (its
#     message is PostgreSQL's refusal, with how to run it outside one).
#     Counted, not a failure.
# Prints "refused N", "data N" and the distinct classes (statement shape,
# PostgreSQL's error) with their counts, most frequent first.
#
# Only core Perl.
use strict;
use warnings;

my ($run_sql, $block_err) = @ARGV;
die "usage: refused_classes.pl RUN_SQL BLOCK_ERR\n" unless defined $block_err;

open(my $sql, '<', $run_sql) or die "$run_sql: $!\n";
my @lines = <$sql>;
close($sql);

# A quoted identifier's category: the generator's names start with what
# they are ("plain 3 ...", "c <hostile>", "idx <hostile>"); the hostile tail
# is noise here.
sub category {
    my ($name) = @_;
    $name =~ s/""/"/g;
    return 'S' if $name =~ /^fz /;
    return "<$1>" if $name =~ /^(plain|parted|part\d|pdefault|inh parent|inh child|typed|unlogged|temp|view|matview|foreign) \d+/;
    return "<$1>" if $name =~ /^(pair type|seq) \d+/;
    return "<$1>" if $name =~ /^(\S+)/;
    return '<?>';
}

sub normalize {
    my ($s) = @_;
    $s =~ s/"((?:[^"]|"")*)"/category($1)/ge;
    $s =~ s/'(?:[^']|'')*'/'L'/g;
    $s =~ s/\b\d+(\.\d+)?\b/N/g;
    $s =~ s/(id <> N OR )+id <> N/id <> N OR .../g;
    $s =~ s/(coalesce\(a, N\) \+ )+coalesce\(a, N\)/coalesce(a, N) + .../g;
    $s =~ s/\s+/ /g;
    $s =~ s/^ | $//g;
    return $s;
}

# Known classes the guard does not mirror yet, each with its reason
# (test/fuzz/known_refused.txt: one regex over "SQLSTATE message<TAB>statement" a line,
# "#" comments): counted as "known", listed, not failures. A class that is
# neither data, rule nor known fails the test.
my @known;
(my $known_file = $0) =~ s{[^/]*$}{known_refused.txt};
if (open(my $k, '<', $known_file)) {
    while (my $line = <$k>) {
        chomp $line;
        next if $line =~ /^\s*(#|$)/;
        push @known, qr/$line/;
    }
    close($k);
}

open(my $err, '<', $block_err) or die "$block_err: $!\n";
my ($in_rerun, $reruns, %classes, %shapes) = (0, 0);
my ($refused, $data, $rules, $knowns, $rule) = (0, 0, 0, 0, undef);
while (my $l = <$err>) {
    chomp $l;
    if ($l =~ /^psql:[^:]*:\d+: ERROR:  SO001: .*\[([a-z0-9_]+)\]$/) { $rule = $1; next; }
    if ($l eq 'so_fuzz_rerun') { $in_rerun = 1; $reruns++; next; }
    if ($l eq 'so_fuzz_rerun_end') { $in_rerun = 0; next; }
    next unless $in_rerun;
    next unless $l =~ /^psql:[^:]*:(\d+): ERROR:  ([0-9A-Z]{5}): (.*)$/;
    my ($line, $state, $msg) = ($1, $2, $3);
    my $stmt = $lines[$line - 1] // '?';
    chomp $stmt;
    # 22023 (invalid_parameter_value) is an option PostgreSQL refuses, not a
    # row's value.
    my $kind = ($state =~ /^2[23]/ && $state ne '22023') ? 'data' : 'refused';
    # concurrently_in_transaction is the guard's rule for this very refusal
    # (a CONCURRENTLY form inside a transaction block, SQLSTATE 25001): its
    # message is PostgreSQL's refusal, its hint how to run the statement
    # outside one (docs/rules/concurrently_in_transaction.md).
    $kind = 'rule' if $state eq '25001' && ($rule // '') eq 'concurrently_in_transaction';
    if ($kind eq 'refused') {
        (my $m = $msg) =~ s/"(?:[^"]|"")*"/X/g;
        $kind = 'known' if grep { "$state $m\t$stmt" =~ $_ } @known;
    }
    $kind eq 'data' ? $data++ : $kind eq 'rule' ? $rules++ : $kind eq 'known' ? $knowns++ : $refused++;
    # The class: SQLSTATE and message with every name left out; a few of
    # its statement shapes as examples.
    (my $message = $msg) =~ s/"(?:[^"]|"")*"/X/g;
    $message =~ s/\b\d+\b/N/g;
    my $class = "$kind $state $message";
    $classes{$class}++;
    my $shape = normalize($stmt);
    $shapes{$class}{$shape}++;
}
close($err);

print "reruns $reruns\n";
print "refused $refused\n";
print "data $data\n";
print "rule $rules\n";
print "known $knowns\n";
for my $c (sort { $classes{$b} <=> $classes{$a} || $a cmp $b } keys %classes) {
    printf "%6d %s\n", $classes{$c}, $c;
    my $h = $shapes{$c};
    my @top = (sort { $h->{$b} <=> $h->{$a} || $a cmp $b } keys %$h)[0 .. 1];
    print "           e.g. $_\n" for grep { defined } @top;
}
