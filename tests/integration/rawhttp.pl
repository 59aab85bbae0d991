#!/usr/bin/perl
# rawhttp.pl [-s] PORT STEP...: talk raw bytes to 127.0.0.1:PORT, for the tests
# that curl cannot express (pipelining, smuggling attempts, slow clients,
# 100-continue by hand).  Steps, run in order:
#   send:TEXT      write TEXT; \r \n \t \\ and \xHH are unescaped
#   sendfile:PATH  write the bytes of a file
#   repeat:N:TEXT  write TEXT (unescaped) N times
#   sleep:SECS     pause (fractions allowed)
#   head:SECS      read until one response head ("\r\n\r\n") has arrived,
#                  or SECS pass
#   shut           shut down the sending side (the server sees EOF)
#   wait:SECS      read until the server closes, or SECS pass
# Everything read is written to stdout; with -s, a summary instead: one
# line per response, "STATUS BODY" with the body's CR, LF and backslash
# escaped (responses framed by Content-Length; none may answer a HEAD).
# Exit status: 0 if the server
# closed the connection, 3 if a read step ran out of time, 4 if the
# connection was reset, 2 on a usage or connect error.
use strict;
use warnings;
use IO::Socket::INET;
use Socket qw(SOL_SOCKET SO_RCVBUF pack_sockaddr_in inet_aton);
use IO::Select;
use Time::HiRes qw(sleep time);

my $summary = @ARGV && $ARGV[0] eq '-s' ? shift @ARGV : 0;
my $port = shift @ARGV or die "usage: rawhttp.pl [-s] PORT STEP...\n";
# RAWHTTP_RCVBUF: a small receive buffer (set before connecting, so the
# kernel does not grow it) makes a client that does not read stall the
# server quickly
my $s = IO::Socket::INET->new(Proto => 'tcp') or do { print STDERR "rawhttp.pl: socket: $!\n"; exit 2 };
setsockopt($s, SOL_SOCKET, SO_RCVBUF, 0 + $ENV{RAWHTTP_RCVBUF}) if $ENV{RAWHTTP_RCVBUF};
$s->connect(pack_sockaddr_in($port, inet_aton('127.0.0.1')))
	or do { print STDERR "rawhttp.pl: connect: $!\n"; exit 2 };
binmode $s;
binmode STDOUT;
$SIG{PIPE} = 'IGNORE';
my $sel = IO::Select->new($s);
my ($got, $closed, $reset) = ('', 0, 0);

sub unescape {
	my $t = shift;
	$t =~ s/\\(x([0-9a-fA-F]{2})|[rnt\\])/
		defined $2 ? chr(hex $2) : $1 eq 'r' ? "\r" : $1 eq 'n' ? "\n" : $1 eq 't' ? "\t" : "\\"/ge;
	return $t;
}

sub put {
	my $data = shift;
	while (length $data) {
		my $n = syswrite($s, $data);
		if (!defined $n) { $reset = 1; return }
		substr($data, 0, $n) = '';
	}
}

# read until cond() holds, the peer closes, or secs pass
sub pull {
	my ($secs, $cond) = @_;
	my $end = time + $secs;
	while (!$closed && !$cond->()) {
		my $left = $end - time;
		return 0 if $left <= 0;
		next unless $sel->can_read($left);
		my $n = sysread($s, my $chunk, 65536);
		if (!defined $n) { $reset = 1; $closed = 1; last }
		if ($n == 0) { $closed = 1; last }
		$got .= $chunk;
	}
	return 1;
}

my $timed_out = 0;
for my $step (@ARGV) {
	my ($cmd, $arg) = split /:/, $step, 2;
	if ($cmd eq 'send') { put(unescape($arg)) }
	elsif ($cmd eq 'sendfile') {
		open my $f, '<:raw', $arg or die "rawhttp.pl: $arg: $!\n";
		local $/;
		put(<$f>);
	}
	elsif ($cmd eq 'repeat') { my ($n, $t) = split /:/, $arg, 2; put(unescape($t) x $n) }
	elsif ($cmd eq 'sleep') { sleep $arg }
	elsif ($cmd eq 'head') { my $from = length $got; pull($arg, sub { index($got, "\r\n\r\n", $from) >= 0 }) or $timed_out = 1 }
	elsif ($cmd eq 'shut') { shutdown($s, 1) }
	elsif ($cmd eq 'wait') { pull($arg, sub { 0 }) or $timed_out = 1 }
	else { print STDERR "rawhttp.pl: unknown step '$step'\n"; exit 2 }
}
if ($summary) {
	my $rest = $got;
	while ($rest =~ s/\A(HTTP\/1\.\d (\d{3})[^\r\n]*\r\n(.*?)\r\n\r\n)//s) {
		my ($status, $fields) = ($2, $3);
		my $len = $status =~ /^(1..|204|304)$/ ? 0 : $fields =~ /^content-length:\s*(\d+)/mi ? $1 : 0;
		my $body = substr($rest, 0, $len, '');
		$body =~ s/([\\\r\n])/$1 eq "\r" ? '\r' : $1 eq "\n" ? '\n' : '\\\\'/ge;
		print "$status $body\n";
	}
	print "junk: $rest\n" if length $rest;
} else {
	print $got;
}
exit($reset ? 4 : $timed_out ? 3 : $closed ? 0 : 3);
