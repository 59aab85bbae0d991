# promcheck.pl < METRICS: the Prometheus text format (prometheus.io,
# exposition formats, 0.0.4), strictly: HELP and TYPE once per family,
# TYPE before the samples, names and labels well formed, values numbers,
# counters named *_total.  Prints each bad line; exits 1 if any.
use strict;
use warnings;
my (%type, %help, $bad);
while (my $l = <STDIN>) {
	chomp $l;
	my $why;
	if ($l =~ /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S/) {
		$why = "second HELP" if $help{$1}++;
	} elsif ($l =~ /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/) {
		my ($name, $t) = ($1, $2);
		$why = "second TYPE" if $type{$name};
		$why = "a counter not named *_total" if $t eq 'counter' && $name !~ /_total$/;
		$type{$name} = $t;
	} elsif ($l =~ /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*\})? (-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|NaN|[+-]Inf)$/) {
		$why = "a sample before its TYPE" unless $type{$1};
	} else {
		$why = "not a HELP, TYPE or sample line";
	}
	if ($why) { print "$why: $l\n"; $bad = 1; }
}
exit($bad ? 1 : 0);
