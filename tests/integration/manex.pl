#!/usr/bin/perl
# manex.pl OUTDIR PAGE...: the literal blocks of every page's EXAMPLES
# section (mdoc source), for t0775-man-examples-all.sh.  For block K of
# PAGE it writes OUTDIR/PAGE.K.sh, the shell commands, each followed by a
# check that stops the script with the command's status when it fails,
# and OUTDIR/PAGE.K.mark, the block's marker: the text after
# '.\" example:' in a comment line between the block and the one before
# ("skip REASON", "needs COMMAND"), or empty.  A marker
# '.\" example: empty store' anywhere in the section makes the page's
# examples start from an empty store (OUTDIR/PAGE.empty).
#
# Commands: in a block with prompts, the lines after '$ ' or '# ' and
# the lines that continue them (after a line ending in a backslash, '|',
# '||' or '&&'); the other lines are output and left out.  A block
# without prompts is one script.  mdoc's \e is a backslash.
use strict;
use warnings;

my $out = shift @ARGV;
for my $page (@ARGV) {
	open(my $f, '<', $page) or die "$page: $!";
	(my $base = $page) =~ s{.*/}{};
	my ($in, $inb, $k, $mark, @lines) = (0, 0, 0, '');
	while (my $l = <$f>) {
		chomp $l;
		if ($l =~ /^\.Sh /) {
			$in = $l eq '.Sh EXAMPLES';
			next;
		}
		next unless $in;
		if ($l =~ /^\.\\" example: ?(.*)$/) {
			if ($1 eq 'empty store') {
				open(my $e, '>', "$out/$base.empty") or die;
				close $e;
			} else {
				$mark = $1;
			}
			next;
		}
		if ($l =~ /^\.Bd -literal/) {
			($inb, @lines) = (1);
			$k++;
			next;
		}
		next unless $inb;
		if ($l ne '.Ed') {
			push @lines, $l;
			next;
		}
		$inb = 0;
		s/\\e/\\/g for @lines;
		my @cmds;
		if (!grep { /^[\$#] / } @lines) {
			@cmds = (join("\n", @lines));
		} else {
			my ($cur, $cont);
			for (@lines) {
				if ($cont) {
					$cur .= "\n$_";
				} elsif (/^[\$#] (.*)$/) {
					push @cmds, $cur if defined $cur;
					$cur = $1;
				} else {
					push @cmds, $cur if defined $cur;
					undef $cur;
					next;
				}
				$cont = /(\\|\||&&)\s*$/;
			}
			push @cmds, $cur if defined $cur;
		}
		open(my $s, '>', "$out/$base.$k.sh") or die;
		print $s "set -u\n";
		my $i = 0;
		for my $c (@cmds) {
			$i++;
			print $s "$c\n__s=\$?; [ \$__s -eq 0 ] || { echo \"command $i failed: \$__s\" >&2; exit \$__s; }\n";
		}
		print $s "exit 0\n";
		close $s;
		open(my $m, '>', "$out/$base.$k.mark") or die;
		print $m "$mark\n";
		close $m;
		$mark = '';
	}
}
