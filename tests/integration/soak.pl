#!/usr/bin/perl
# soak.pl: the load and the checks of t0950-soak.sh, on 127.0.0.1 only.
#
#   soak.pl run DIR     many clients at once for SOAK_SECS seconds against
#                       goreg-httpd on SOAK_PORT, while goreg-admin revokes
#                       tokens and a killer SIGKILLs random goreg-httpd
#                       processes (the children of SOAK_SAPID); one record
#                       per request in DIR/rec.*, the kills in DIR/kills,
#                       the revocations in DIR/revoked; the counts as "# "
#                       lines.
#   soak.pl verify DIR  the records against the store as goreg-httpd now
#                       serves it: "PASS what" or "FAIL what: why" lines.
#
# DIR/zips lists the bodies, "KIND MODULE VERSION VARIANT FILE" (KIND keep:
# uploaded, never deleted, two variants; churn: uploaded and deleted, one
# variant; bad: refused whatever happens); DIR/tokens "NAME TOKEN ID DOOMED".
# Each client keeps one connection, as the go command does, and never
# retries: a request cut by a kill is recorded as status 0, its outcome
# unknown.
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Digest::SHA qw(sha256_hex);
use MIME::Base64 qw(encode_base64);
use POSIX qw(WNOHANG);
use Time::HiRes qw(time sleep);

my ($mode, $dir) = @ARGV;
die "usage: soak.pl run|verify DIR\n" unless $mode && $dir && -d $dir;
my $port = $ENV{SOAK_PORT} or die "soak.pl: no SOAK_PORT\n";
my $owner = 'soak';
$SIG{PIPE} = 'IGNORE';

# ---- the bodies and the tokens ----
my (@zips, %variants, @keep, @churn, @bad, @toks, %tok);
sub slurp { my $f = shift; open my $h, '<:raw', $f or die "soak.pl: $f: $!\n"; local $/; return <$h> }
open my $zl, '<', "$dir/zips" or die "soak.pl: $dir/zips: $!\n";
while (<$zl>) {
	chomp;
	my ($kind, $mod, $ver, $var, $file) = split / /;
	my $z = {kind => $kind, mod => $mod, ver => $ver, var => $var, body => slurp($file)};
	$z->{sha} = sha256_hex($z->{body});
	push @zips, $z;
	$variants{"$mod\@$ver"}{$var} = $z->{sha} unless $kind eq 'bad';
	push @{$kind eq 'keep' ? \@keep : $kind eq 'churn' ? \@churn : \@bad}, $z;
}
open my $tl, '<', "$dir/tokens" or die "soak.pl: $dir/tokens: $!\n";
while (<$tl>) {
	chomp;
	my ($name, $token, $id, $doomed) = split / /;
	push @toks, $tok{$name} = {name => $name, token => $token, id => $id, doomed => $doomed};
}
my %mods = map { $_->{mod} => 1 } @keep, @churn;

# ---- a minimal HTTP/1.1 client: one connection, no retries ----
sub conn_new { return {sock => undef} }

sub conn_close { my $c = shift; close $c->{sock} if $c->{sock}; $c->{sock} = undef }

sub put_all {
	my ($s, $data) = @_;
	while (length $data) {
		my $n = syswrite $s, $data;
		return 0 unless defined $n && $n > 0;
		substr($data, 0, $n) = '';
	}
	return 1;
}

# read until $want bytes are buffered (or a head ends when $want < 0)
sub fill {
	my ($c, $buf, $want) = @_;
	my $sel = IO::Select->new($c->{sock});
	while ($want < 0 ? index($$buf, "\r\n\r\n") < 0 : length $$buf < $want) {
		return 0 unless $sel->can_read(30);
		my $n = sysread $c->{sock}, my $chunk, 65536;
		return 0 unless $n;
		$$buf .= $chunk;
	}
	return 1;
}

# (status, body, fields): status 0 when the connection failed
sub request {
	my ($c, $method, $path, %a) = @_;
	unless ($c->{sock}) {
		$c->{sock} = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp')
			or return (0, "connect: $!");
		binmode $c->{sock};
	}
	my $head = "$method $path HTTP/1.1\r\nHost: 127.0.0.1\r\n";
	$head .= "Authorization: Basic " . encode_base64("$owner:$a{token}", '') . "\r\n" if $a{token};
	my $body = $a{body} // '';
	if (defined $a{length}) {
		$head .= "Content-Length: $a{length}\r\n";
	} elsif ($a{chunked}) {
		$head .= "Transfer-Encoding: chunked\r\n";
		my ($framed, $rest) = ('', $body);
		$framed .= sprintf("%x\r\n", length $1) . "$1\r\n" while $rest =~ s/\A(.{1,8192})//s;
		$body = "${framed}0\r\n\r\n";
	} elsif (defined $a{body}) {
		$head .= "Content-Length: " . length($body) . "\r\n";
	}
	# (a refusal before the body, 401 or 413, may end the connection
	# while the body is still being sent: the answer is read all the same)
	put_all($c->{sock}, "$head\r\n$body");
	my $buf = '';
	fill($c, \$buf, -1) or do { conn_close($c); return (0, 'no answer') };
	my $end = index($buf, "\r\n\r\n");
	my $h = substr($buf, 0, $end + 4, '');
	my ($status) = $h =~ m{\AHTTP/1\.1 (\d{3}) } or do { conn_close($c); return (0, 'bad answer') };
	my ($len) = $h =~ /^Content-Length: (\d+)\r$/mi;
	$len = 0 if $method eq 'HEAD' || !defined $len;
	fill($c, \$buf, $len) or do { conn_close($c); return (0, 'short body') };
	conn_close($c) if $h =~ /^Connection: close\r$/mi;
	return ($status, substr($buf, 0, $len));
}

sub esc_mod { my $m = shift; $m =~ s/([A-Z])/'!' . lc $1/ge; return $m }
sub base { return "/api/packages/$owner/go" }

# ---- run ----
sub pick { my $a = shift; return $a->[int rand @$a] }

my @ops = (
	[get_zip => 24], [get_info => 8], [get_mod => 6], [list => 12], [latest => 4], [tok_read => 4],
	[up_keep => 12], [up_churn => 8], [up_bad => 6], [up_big => 3], [delete => 8],
);
my $weights = 0;
$weights += $_->[1] for @ops;
sub pick_op {
	my $r = rand $weights;
	for (@ops) { return $_->[0] if ($r -= $_->[1]) < 0 }
	return $ops[-1][0];
}

# one request of kind $op: (module, version, variant, token, status, note)
sub one {
	my ($c, $op) = @_;
	my $b = base();
	if ($op =~ /^get_(zip|info|mod)$/) {
		my $ext = $1;
		my $z = pick([@keep, @churn]);
		my ($st, $body) = request($c, 'GET', "$b/" . esc_mod($z->{mod}) . "/\@v/$z->{ver}.$ext");
		my $note = '';
		if ($st == 200 && $ext eq 'zip') {
			my $sha = sha256_hex($body);
			$note = (grep { $_ eq $sha } values %{$variants{"$z->{mod}\@$z->{ver}"}}) ? 'whole' : 'CORRUPT';
		} elsif ($st == 200 && $ext eq 'info') {
			$note = $body =~ /^\{"Version":"\Q$z->{ver}\E","Time":"[0-9T:Z-]+"\}/ ? 'whole' : 'CORRUPT';
		}
		return ($z->{mod}, $z->{ver}, '-', '-', $st, $note);
	}
	if ($op eq 'list' || $op eq 'latest' || $op eq 'tok_read') {
		my $m = pick([sort keys %mods]);
		my $t = $op eq 'tok_read' ? pick(\@toks) : undef;
		my $path = "$b/" . esc_mod($m) . ($op eq 'latest' ? '/@latest' : '/@v/list');
		my ($st, $body) = request($c, 'GET', $path, token => $t && $t->{token});
		my $note = '';
		if ($st == 200 && $op ne 'latest') {
			my @bad = grep { !$variants{"$m\@$_"} } split /\n/, $body;
			$note = @bad ? "CORRUPT: lists @bad" : 'whole';
		}
		return ($m, '-', '-', $t ? $t->{name} : '-', $st, $note);
	}
	if ($op eq 'up_big') {
		my $z = pick(\@keep);
		my ($st) = request($c, 'PUT', "$b/upload", length => 600000000);
		conn_close($c);
		return ($z->{mod}, '-', '-', '-', $st, '');
	}
	my $t = pick(\@toks);
	if ($op eq 'delete') {
		my $z = pick(\@churn);
		(my $em = $z->{mod}) =~ s{/}{%2F}g;
		my ($st) = request($c, 'DELETE', "/api/v1/packages/$owner/go/$em/$z->{ver}", token => $t->{token});
		return ($z->{mod}, $z->{ver}, '-', $t->{name}, $st, '');
	}
	my $z = pick($op eq 'up_keep' ? \@keep : $op eq 'up_churn' ? \@churn : \@bad);
	my ($st) = request($c, 'PUT', "$b/upload", token => $t->{token}, body => $z->{body}, chunked => rand() < 0.2);
	return ($z->{mod}, $z->{ver}, $z->{var}, $t->{name}, $st, '');
}

sub worker {
	my ($i, $deadline) = @_;
	srand($$ ^ int(time * 1000));
	open my $out, '>', "$dir/rec.$i" or die "soak.pl: $dir/rec.$i: $!\n";
	my $c = conn_new();
	while (time < $deadline) {
		my $op = pick_op();
		my $t0 = time;
		my @r = one($c, $op);
		printf $out "%.4f\t%.4f\t%s\t%s\n", $t0, time, $op, join("\t", @r);
	}
	close $out;
	exit 0;
}

# SIGKILL a random goreg-httpd now and then
sub killer {
	my ($deadline, $sapid) = @_;
	srand($$);
	open my $out, '>', "$dir/kills" or die "soak.pl: $dir/kills: $!\n";
	$out->autoflush(1);
	while (time < $deadline - 1) {
		sleep 0.2 + rand 0.8;
		my @kids;
		for my $f (glob "/proc/$sapid/task/*/children") {
			open my $h, '<', $f or next;
			push @kids, split ' ', (<$h> // '');
		}
		next unless @kids;
		my $p = pick(\@kids);
		printf $out "%.4f\t%d\n", time, $p if kill 'KILL', $p;
	}
	exit 0;
}

# revoke the doomed tokens one by one over the run
sub revoker {
	my ($start, $secs) = @_;
	my @doomed = grep { $_->{doomed} } @toks;
	open my $out, '>', "$dir/revoked" or die "soak.pl: $dir/revoked: $!\n";
	for my $k (0 .. $#doomed) {
		my $at = $start + $secs * ($k + 1) / (@doomed + 1);
		sleep $at - time if $at > time;
		my $t0 = time;
		system("$ENV{GOREG_BIN}/goreg-admin", '-r', $ENV{SOAK_ROOT}, 'token', 'revoke', $owner, $doomed[$k]{id}) == 0
			or die "soak.pl: goreg-admin token revoke failed\n";
		printf $out "%s\t%.4f\t%.4f\n", $doomed[$k]{name}, $t0, time;
	}
	close $out;
}

sub run {
	my $secs = $ENV{SOAK_SECS} || 60;
	my $workers = $ENV{SOAK_WORKERS} || 6;
	my $start = time;
	my $deadline = $start + $secs;
	my @pids;
	for my $i (1 .. $workers) {
		my $p = fork // die "soak.pl: fork: $!\n";
		worker($i, $deadline) if $p == 0;
		push @pids, $p;
	}
	my $kp = fork // die "soak.pl: fork: $!\n";
	killer($deadline, $ENV{SOAK_SAPID}) if $kp == 0;
	revoker($start, $secs);
	my $bad = 0;
	for (@pids, $kp) { waitpid $_, 0; $bad++ if $? }
	die "soak.pl: $bad client processes failed\n" if $bad;
	printf "# %d clients for %.0f s, %d goreg-httpd processes killed\n", $workers, time - $start,
		scalar @{[lines("$dir/kills")]};
}

sub lines { my $f = shift; open my $h, '<', $f or return (); chomp(my @l = <$h>); return @l }

# ---- verify ----
my $fails = 0;
sub check {
	my ($good, $what, $why) = @_;
	print $good ? "PASS $what\n" : "FAIL $what: $why\n";
	$fails++ unless $good;
}

sub records {
	my @r;
	for my $f (glob "$dir/rec.*") {
		for (lines($f)) {
			my %h;
			@h{qw(t0 t1 op mod ver var tok status note)} = split /\t/, $_, -1;
			push @r, \%h;
		}
	}
	return sort { $a->{t0} <=> $b->{t0} } @r;
}

my %allowed = (
	get_zip => '200 404', get_info => '200 404', get_mod => '200 404', list => '200 404', latest => '200 404',
	tok_read => '200 404 401', up_keep => '201 409 401', up_churn => '201 409 401', up_bad => '400 401',
	up_big => '413', delete => '204 404 401',
);

sub count_table {
	my $recs = shift;
	my (%n, %by);
	for (@$recs) { $n{$_->{op}}++; $by{$_->{op}}{$_->{status}}++ }
	for my $op (sort keys %n) {
		my $s = join ', ', map { ($_ == 0 ? 'cut' : $_) . ": $by{$op}{$_}" } sort { $a <=> $b } keys %{$by{$op}};
		printf "# %-8s %6d  (%s)\n", $op, $n{$op}, $s;
	}
	printf "# all      %6d requests\n", scalar @$recs;
}

sub verify_statuses {
	my ($recs, $kills) = @_;
	my @five = grep { $_->{status} >= 500 } @$recs;
	check(!@five, 'no request got a 5xx', @five ? scalar(@five) . " did, first: $five[0]{op} $five[0]{status}" : '');
	my @odd = grep { $_->{status} != 0 && " $allowed{$_->{op}} " !~ / $_->{status} / } @$recs;
	check(!@odd, 'every answer is one its request may get',
		@odd ? "$odd[0]{op} $odd[0]{mod}\@$odd[0]{ver} $odd[0]{var}: $odd[0]{status}" : '');
	my @cut = grep { $_->{status} == 0 } @$recs;
	check(@cut <= $kills, "requests cut short (" . scalar(@cut) . ") no more than the kills ($kills)",
		'a connection failed without a kill');
	my @corrupt = grep { $_->{note} =~ /CORRUPT/ } @$recs;
	check(!@corrupt, 'every zip, .info and list served during the run was whole',
		@corrupt ? "$corrupt[0]{op} $corrupt[0]{mod}\@$corrupt[0]{ver}: $corrupt[0]{note}" : '');
}

sub verify_tokens {
	my $recs = shift;
	my %revoked = map { my ($n, $t0, $t1) = split /\t/; ($n => $t1) } lines("$dir/revoked");
	my @doomed = grep { $_->{doomed} } @toks;
	check(keys %revoked == @doomed, 'every doomed token revoked during the run', scalar(keys %revoked) . ' of ' . @doomed);
	my @wrong401 = grep { $_->{status} == 401 && !$revoked{$_->{tok}} } @$recs;
	check(!@wrong401, '401 only for revoked tokens', scalar(@wrong401) . " for live ones");
	my @late = grep { $_->{tok} ne '-' && $revoked{$_->{tok}} && $_->{t0} > $revoked{$_->{tok}} &&
		$_->{status} != 401 && $_->{status} != 0 } @$recs;
	check(!@late, 'a token revoked is refused at once, on connections open before',
		@late ? scalar(@late) . " answered $late[0]{status} after the revocation" : '');
	my $after = grep { $_->{tok} ne '-' && $revoked{$_->{tok}} && $_->{t0} > $revoked{$_->{tok}} } @$recs;
	print "# $after requests with tokens already revoked\n";
}

# the writes of one version, in order, for a failure's diagnosis
sub history {
	my ($recs, $k) = @_;
	for (grep { "$_->{mod}\@$_->{ver}" eq $k && $_->{op} =~ /^(up_|delete)/ } @$recs) {
		printf "#   %.3f-%.3f %s %s %s\n", $_->{t0}, $_->{t1}, $_->{op}, $_->{tok}, $_->{status};
	}
}

# Two DELETEs of one version at once can both answer 204 for one removal
# (the second finishes what it takes for a delete cut short): a 204 that
# overlaps an earlier one in time, with no 201 of the version overlapping
# them, is that second answer.  Returns how many; a version where a 201
# overlaps them too is left unknown (which answer came first is unknowable).
sub double_204 {
	my ($recs, $unknown) = @_;
	my (%by, $n);
	for (@$recs) { push @{$by{"$_->{mod}\@$_->{ver}"}{$_->{status}}}, $_ if $_->{op} =~ /^(up_churn|delete)$/ }
	for my $k (keys %by) {
		my @d = sort { $a->{t0} <=> $b->{t0} } @{$by{$k}{204} || []};
		for my $i (1 .. $#d) {
			my ($a, $b) = ($d[$i - 1], $d[$i]);
			next unless $b->{t0} < $a->{t1};
			if (grep { $_->{t0} < $b->{t1} && $_->{t1} > $a->{t0} } @{$by{$k}{201} || []}) { $unknown->{$k}++ }
			else { $b->{double} = 1; $n++ }
		}
	}
	return $n // 0;
}

sub verify_store {
	my $recs = shift;
	my (%n201, %n204, %unknown, %present);
	my $doubles = double_204($recs, \%unknown);
	for (@$recs) {
		my $k = "$_->{mod}\@$_->{ver}";
		next unless $_->{op} =~ /^(up_keep|up_churn|up_bad|delete)$/;
		if ($_->{status} == 201) { push @{$n201{$k}}, $_->{var} }
		elsif ($_->{status} == 204) { $n204{$k}++ unless $_->{double} }
		elsif ($_->{status} == 0) { $unknown{$k}++ }
	}
	print $doubles ? "TODO racing DELETEs of one version answer 204 once: $doubles removals answered 204 twice, and audited twice\n"
		: "# no racing DELETEs answered 204 twice this time\n";
	my $c = conn_new();
	my (@bad_keep, @bad_churn, @ghost, @listed);
	my %seen;
	for my $z (@keep, @churn, @bad) {
		my $k = "$z->{mod}\@$z->{ver}";
		next if $seen{$k}++;
		my ($st, $body) = request($c, 'GET', base() . '/' . esc_mod($z->{mod}) . "/\@v/$z->{ver}.zip");
		die "soak.pl: GET $k: no answer\n" unless $st;
		$present{$k} = $st == 200;
		my $sha = $st == 200 ? sha256_hex($body) : '';
		my @ok = @{$n201{$k} || []};
		if ($z->{kind} eq 'bad') {
			push @ghost, $k if $st != 404;
		} elsif ($z->{kind} eq 'keep') {
			if (@ok > 1) { push @bad_keep, "$k: 201 $#ok times too many" }
			elsif (@ok == 1 && $sha ne $variants{$k}{$ok[0]}) { push @bad_keep, "$k: not the zip acknowledged" }
			elsif (!@ok && $st == 200 && !$unknown{$k}) { push @bad_keep, "$k: there, never acknowledged" }
			elsif (!@ok && $st == 200 && !grep { $_ eq $sha } values %{$variants{$k}}) { push @bad_keep, "$k: corrupt" }
		} else {
			my $d = @ok - ($n204{$k} // 0);
			if ($st == 200 && $sha ne $variants{$k}{A}) { push @bad_churn, "$k: corrupt" }
			elsif (!$unknown{$k} && $d != ($st == 200 ? 1 : 0)) { push @bad_churn, "$k: 201 - 204 = $d, there: $present{$k}" }
		}
	}
	my $n201 = 0;
	$n201 += @$_ for values %n201;
	check(!@bad_keep, "each kept version acknowledged (201) is there, byte for byte the zip acknowledged, once", $bad_keep[0]);
	check(!@bad_churn, 'each uploaded and deleted version is there exactly when its last answer says so, whole', $bad_churn[0]);
	history($recs, (split /:/, $bad_churn[0])[0]) if @bad_churn;
	check(!@ghost, 'no refused zip left a version', $ghost[0]);
	for my $m (sort keys %mods) {
		my ($st, $body) = request($c, 'GET', base() . '/' . esc_mod($m) . '/@v/list');
		my %l = map { $_ => 1 } split /\n/, ($st == 200 ? $body : '');
		my @want = grep { $present{$_} && /^\Q$m\E\@/ } keys %present;
		push @listed, "$m: lists " . join(',', sort keys %l) if keys %l != @want || grep { !$l{(split /\@/)[1]} } @want;
	}
	check(!@listed, 'each list is exactly the versions there', $listed[0]);
	my ($there, $n204, $nunk) = (scalar(grep { $present{$_} } keys %present), 0, 0);
	$n204 += $_ for values %n204;
	$nunk += $_ for values %unknown;
	printf "# %d uploads acknowledged, %d removals; %d versions there at the end; %d writes cut by a kill\n",
		$n201, $n204, $there, $nunk;
}

# the audit log: a line for every change acknowledged, none for a refusal
# (only a change cut short by a kill may have one without its answer)
sub verify_audit {
	my $recs = shift;
	my %log;
	$log{(split / /)[2]}++ for lines("$ENV{SOAK_ROOT}/audit.log");
	for ([upload => 201, qr/^up_/], [delete => 204, qr/^delete$/]) {
		my ($action, $st, $op) = @$_;
		my $done = grep { $_->{op} =~ $op && $_->{status} == $st } @$recs;
		my $cut = grep { $_->{op} =~ $op && $_->{status} == 0 } @$recs;
		my $n = $log{$action} // 0;
		check($n >= $done && $n <= $done + $cut, "audit.log: $n $action lines for $done answered $st and $cut cut short",
			'a change without its line, or a line without its change');
	}
}

if ($mode eq 'run') {
	run();
} elsif ($mode eq 'verify') {
	my @recs = records();
	my @kills = lines("$dir/kills");
	count_table(\@recs);
	print "# " . scalar(@kills) . " goreg-httpd processes killed\n";
	verify_statuses(\@recs, scalar @kills);
	verify_tokens(\@recs);
	verify_store(\@recs);
	verify_audit(\@recs);
	exit($fails ? 1 : 0);
} else {
	die "usage: soak.pl run|verify DIR\n";
}
