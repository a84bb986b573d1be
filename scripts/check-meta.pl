#!/usr/bin/perl
# check-meta.pl: META.json follows the PGXN Meta Spec 1.0.0
# (https://pgxn.org/spec/) in what PGXN checks on upload: the required keys,
# semantic versions, a known license and release status, prerequisite
# phases and relationships, and the meta-spec version; and it agrees with
# the tree (the version is schema_oracle.control's default_version, every
# provided file exists or is built by the Makefile).
# JSON::PP ships with Perl (postgresql-common pulls Perl in).
use strict;
use warnings;
use JSON::PP;

my @errors;
sub err { push @errors, join('', @_); }

open(my $fh, '<', 'META.json') or die "META.json: $!\n";
my $meta = eval { JSON::PP->new->decode(do { local $/; <$fh> }) };
die "META.json is not valid JSON: $@" unless $meta;

my $semver = qr/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+)?$/;
for my $key (qw(name abstract maintainer version license provides meta-spec)) {
    err("missing required key \"$key\"") unless exists $meta->{$key};
}
err("name must be a non-empty string without / \\ or spaces")
    unless defined $meta->{name} && $meta->{name} =~ m{^[^/\\\s]+$};
err("version \"$meta->{version}\" is not a semantic version") unless ($meta->{version} // '') =~ $semver;
err("meta-spec version must be 1.0.0") unless ($meta->{'meta-spec'}{version} // '') eq '1.0.0';
my %licenses = map { $_ => 1 } qw(agpl_3 apache_1_1 apache_2_0 artistic_1 artistic_2 bsd freebsd
    gfdl_1_2 gfdl_1_3 gpl_1 gpl_2 gpl_3 lgpl_2_1 lgpl_3_0 mit mozilla_1_0 mozilla_1_1 openssl perl_5
    postgresql qpl_1_0 ssleay sun zlib open_source restricted unrestricted unknown);
my @lic = ref $meta->{license} eq 'ARRAY' ? @{$meta->{license}}
        : ref $meta->{license} eq 'HASH' ? () : ($meta->{license} // ());
err("unknown license \"$_\"") for grep { !$licenses{$_} } @lic;
my $maint = $meta->{maintainer};
err("maintainer must be a string or a list of strings")
    unless defined $maint && (!ref $maint || (ref $maint eq 'ARRAY' && @$maint));
if (exists $meta->{release_status}) {
    err("release_status must be stable, testing or unstable")
        unless $meta->{release_status} =~ /^(stable|testing|unstable)$/;
}
my ($control_version) = do {
    open(my $c, '<', 'schema_oracle.control') or die "schema_oracle.control: $!\n";
    map { /^default_version\s*=\s*'([^']*)'/ ? $1 : () } <$c>;
};
err("version $meta->{version} differs from schema_oracle.control's default_version $control_version")
    unless ($meta->{version} // '') eq ($control_version // '');
my $makefile = do { open(my $m, '<', 'Makefile') or die; local $/; <$m> };
for my $ext (sort keys %{$meta->{provides} // {}}) {
    my $p = $meta->{provides}{$ext};
    err("provides.$ext needs file and version") unless $p->{file} && $p->{version};
    err("provides.$ext.version \"$p->{version}\" is not a semantic version") unless ($p->{version} // '') =~ $semver;
    err("provides.$ext.version differs from version") unless ($p->{version} // '') eq ($meta->{version} // '');
    my $built = $p->{file} =~ /^\Q$ext\E--[0-9.]+\.sql$/ && $makefile =~ /DATA_built/;
    err("provides.$ext.file $p->{file} does not exist") unless -e $p->{file} || $built;
    err("provides.$ext.docfile $p->{docfile} does not exist") if $p->{docfile} && !-e $p->{docfile};
}
for my $phase (sort keys %{$meta->{prereqs} // {}}) {
    err("unknown prereqs phase \"$phase\"") unless $phase =~ /^(configure|build|test|runtime|develop)$/;
    for my $rel (sort keys %{$meta->{prereqs}{$phase}}) {
        err("unknown prereqs relationship \"$rel\"") unless $rel =~ /^(requires|recommends|suggests|conflicts)$/;
    }
}
if (@errors) {
    print "META.json: $_\n" for @errors;
    exit 1;
}
print "META.json follows PGXN Meta Spec 1.0.0 (version $meta->{version}, license @lic)\n";
