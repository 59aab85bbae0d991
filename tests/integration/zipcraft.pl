#!/usr/bin/perl
# zipcraft.pl DIR: write hand-laid module zips into DIR, the ones no zip
# writer makes, for t-modzip.c and t0740-proto-zip-one-reading.sh, and print
# one manifest line per zip:
#
#   NAME.zip<TAB>accept                     a zip goreg must take
#   NAME.zip<TAB>refuse<TAB>REASON          a zip goreg must refuse (400) with
#                                           a reason containing REASON
#
# The refused ones are zips that Go's archive/zip and another reader
# (libzip, a streaming reader that walks local headers, a reader that takes
# the first end record) could read differently; the accepted ones are the
# layouts real writers make that such rules must not break (data
# descriptors with and without signature, zip64 end records, zip64 local
# headers).  Field layouts: PKWARE APPNOTE.TXT 4.3.7 (local header), 4.3.9
# (data descriptor), 4.3.12 (central directory header), 4.3.14-4.3.16 (zip64
# end record, its locator, end record), 4.5.3 (zip64 extra field).
#
# two-eocd.zip is the attack: two central directories, each with its own
# end record, naming the same files with the same sizes.  libzip takes the
# first end record (its tie-break keeps the first), archive/zip the last,
# so libzip reads two-eocd-libzip.zip's go.mod and a.go and the go command
# reads two-eocd-go.zip's; both are written too, for comparison.
use strict;
use warnings;
use Compress::Raw::Zlib;

my $dir = shift @ARGV or die "usage: zipcraft.pl DIR\n";
-d $dir or die "zipcraft.pl: no directory '$dir'\n";
my $P = 'example.com/m@v1.0.0/';

sub deflated {
	my ($data) = @_;
	my ($z) = Compress::Raw::Zlib::Deflate->new(-WindowBits => -15, -AppendOutput => 1);
	my $out = '';
	$z->deflate($data, $out) == Z_OK && $z->flush($out) == Z_OK or die "zipcraft.pl: deflate failed\n";
	return $out;
}

# ent NAME DATA [KEY => VALUE...]: an entry, deflated unless method => 0.
# Keys that change the local header only: lname, lmethod, lflags, lsizes
# ([crc, csize, usize]), lextra; body replaces the data bytes, desc the
# data descriptor; cextra, ccomment go into the central header.
sub ent {
	my ($name, $data, %o) = @_;
	my $method = $o{method} // 8;
	my $comp = $method == 8 ? deflated($data) : $data;
	return { name => $P . $name, method => $method, comp => $comp, crc => Compress::Raw::Zlib::crc32($data),
	         csize => length $comp, usize => length $data, flags => 0, lextra => '', cextra => '',
	         ccomment => '', %o };
}

# the local header, the data and the data descriptor (flag bit 3)
sub loc {
	my ($e) = @_;
	my $dd = $e->{flags} & 8;
	my @sz = $e->{lsizes} ? @{$e->{lsizes}} : $dd ? (0, 0, 0) : ($e->{crc}, $e->{csize}, $e->{usize});
	my $name = $e->{lname} // $e->{name};
	my $desc = $e->{desc} // ($dd ? pack('VVVV', 0x08074b50, $e->{crc}, $e->{csize}, $e->{usize}) : '');
	return pack('VvvvvvVVVvv', 0x04034b50, 20, $e->{lflags} // $e->{flags}, $e->{lmethod} // $e->{method},
	            0, 0x21, @sz, length $name, length $e->{lextra}) . $name . $e->{lextra} .
	       ($e->{body} // $e->{comp}) . $desc;
}

# the central directory header of an entry whose local header is at $off
# (made by Unix, a regular file with mode 0644)
sub cen {
	my ($e, $off) = @_;
	return pack('VvvvvvvVVVvvvvvVV', 0x02014b50, 0x031e, 20, $e->{flags}, $e->{method}, 0, 0x21, $e->{crc},
	            $e->{csize}, $e->{usize}, length $e->{name}, length $e->{cextra}, length $e->{ccomment}, 0, 0,
	            0100644 << 16, $off) . $e->{name} . $e->{cextra} . $e->{ccomment};
}

sub eocd {
	my ($n, $size, $off, $comment, %o) = @_;
	return pack('VvvvvVVv', 0x06054b50, 0, 0, $o{nthis} // $n, $n, $size, $off, length $comment) . $comment;
}

# entries laid out back to back from offset $start: (local part, central part)
sub parts {
	my ($start, @e) = @_;
	my ($data, $cd) = ('', '');
	for my $e (@e) {
		$cd .= cen($e, $e->{off} // $start + length $data);
		$data .= loc($e);
	}
	return ($data, $cd);
}

# a whole zip: [prefix] entries, central directory, end record [comment]
sub zipfile {
	my ($e, %o) = @_;
	my $pre = $o{prefix} // '';
	my ($data, $cd) = parts($o{unshifted} ? 0 : length $pre, @$e);
	$cd .= $o{cdjunk} // '';
	my $cdoff = ($o{unshifted} ? 0 : length $pre) + length $data;
	return $pre . $data . $cd . eocd(scalar @$e, length $cd, $cdoff, $o{comment} // '', %o) . ($o{trail} // '');
}

# zip64 end record and locator before the end record (APPNOTE 4.3.14,
# 4.3.15), the central directory's offset saturated in the end record as
# zip(1) -fz writes it; %o: n64 (the zip64 entry count), n32 (the end
# record's), disks (the locator's disk count), unsaturated (the end record
# holds the real offset, so archive/zip does not look for the zip64 one)
sub zipfile64 {
	my ($e, %o) = @_;
	my ($data, $cd) = parts(0, @$e);
	my $n = scalar @$e;
	my $end64 = length($data) + length $cd;
	my $rec = pack('VQ<vvVVQ<Q<Q<Q<', 0x06064b50, 44, 0x031e, 45, 0, 0, $o{n64} // $n, $o{n64} // $n,
	               length $cd, length $data);
	my $locator = pack('VVQ<V', 0x07064b50, 0, $end64, $o{disks} // 1);
	my $off32 = $o{unsaturated} ? length $data : 0xffffffff;
	return $data . $cd . $rec . $locator . eocd($o{n32} // $n, length $cd, $off32, '', nthis => $o{n32} // $n);
}

my @manifest;

sub out {
	my ($name, $bytes, @verdict) = @_;
	open(my $fh, '>:raw', "$dir/$name") or die "zipcraft.pl: $dir/$name: $!\n";
	print $fh $bytes;
	close($fh) or die "zipcraft.pl: $dir/$name: $!\n";
	push @manifest, join("\t", $name, @verdict);
}

my $gomod = "module example.com/m\n";
my $code = "package m\n";
sub module { return (ent('go.mod', $gomod, @_), ent('a.go', $code, method => 0)) }

# ---- accepted: layouts real writers make
out('ok-plain.zip', zipfile([module()]), 'accept');
# archive/zip's Writer: sizes and CRC after the data, local fields zero
out('ok-descriptor.zip', zipfile([ent('go.mod', $gomod, flags => 8), ent('a.go', $code, flags => 8)]), 'accept');
# the data descriptor's signature is optional (APPNOTE 4.3.9.3)
out('ok-descriptor-nosig.zip', zipfile([ent('go.mod', $gomod, flags => 8,
	desc => pack('VVV', Compress::Raw::Zlib::crc32($gomod), length deflated($gomod), length $gomod))]), 'accept');
# zip(1) writing to a pipe: the descriptor, and the size also in the local header
out('ok-descriptor-usize.zip', zipfile([ent('go.mod', $gomod, flags => 8, lsizes => [0, 0, length $gomod])]), 'accept');
out('ok-zip64-end.zip', zipfile64([module()]), 'accept');
# zip(1) reading stdin: local sizes saturated, the real ones in a zip64 extra field
{
	my $d = deflated($gomod);
	out('ok-zip64-local.zip', zipfile([ent('go.mod', $gomod,
		lsizes => [Compress::Raw::Zlib::crc32($gomod), 0xffffffff, 0xffffffff],
		lextra => pack('vvQ<Q<', 1, 16, length $gomod, length $d))]), 'accept');
}

# ---- the attack: two end records, two central directories
{
	# stored, so that both directories span the same bytes: libzip then
	# keeps the first it found
	my @evil = (ent('go.mod', "module example.com/m\n\ngo 1.99\n", method => 0),
	            ent('a.go', "package m // evil\n", method => 0));
	my @good = (ent('go.mod', "module example.com/m\n\ngo 1.19\n", method => 0),
	            ent('a.go', "package m // good\n", method => 0));
	my ($edata, $ecd) = parts(0, @evil);
	my ($gdata, $gcd) = parts(length $edata, @good);
	my $ecdoff = length($edata) + length $gdata;
	my $gcdoff = $ecdoff + length($ecd) + 22;
	my $tail = $gcd . eocd(scalar @good, length $gcd, $gcdoff, '');
	out('two-eocd.zip', $edata . $gdata . $ecd . eocd(scalar @evil, length $ecd, $ecdoff, $tail),
	    'refuse', 'more than one end of central directory record');
	out('two-eocd-libzip.zip', zipfile([@evil]), 'accept');
	out('two-eocd-go.zip', zipfile([@good]), 'accept');
}

# ---- end records: one too many, or one where none belongs
out('eocd-in-comment.zip', zipfile([module()], comment => "PK\x05\x06" . ("\xff" x 18)),
    'refuse', 'end of central directory signature after the central directory');
out('eocd-in-cdir.zip', zipfile([ent('go.mod', $gomod, ccomment => "PK\x05\x06" . ("\xff" x 18))]),
    'refuse', 'end of central directory signature after the central directory');
# a stored empty zip as the last file: archive/zip and libzip both still
# read the outer one, a reader that takes the first end record does not
out('eocd-in-data.zip', zipfile([module(), ent('testdata/empty.zip', eocd(0, 0, 0, ''), method => 0)]),
    'refuse', 'more than one end of central directory record');
out('trailing-bytes.zip', zipfile([module()], trail => 'junk'), 'refuse', '4 bytes after the end of central directory record');
out('eocd-counts.zip', zipfile([module()], nthis => 1), 'refuse', 'entry counts in the end record disagree');
out('cdir-junk.zip', zipfile([module()], cdjunk => 'junk'), 'refuse', '4 bytes after its last header');
out('zip64-unread.zip', zipfile64([module()], unsaturated => 1),
    'refuse', 'zip64 end of central directory locator that archive/zip does not read');
out('zip64-counts.zip', zipfile64([module()], n32 => 1), 'refuse', 'zip64 end record disagrees with the end record');
out('zip64-disks.zip', zipfile64([module()], disks => 2), 'refuse', 'zip64 end of central directory locator that archive/zip does not read');

# ---- where the data lies
out('prefix-shifted.zip', zipfile([module()], prefix => '#!/bin/sh' . "\n"), 'refuse', '10 bytes before the first entry');
out('prefix-unshifted.zip', zipfile([module()], prefix => '#!/bin/sh' . "\n", unshifted => 1), 'refuse', 'data before the archive');
{
	# a gap between two entries: room for a local header only a
	# streaming reader would see
	my @e = module();
	$e[1]{off} = length(loc($e[0])) + 4;
	my ($data, $cd) = parts(0, @e);
	substr($data, length(loc($e[0])), 0) = 'junk';
	out('gap.zip', $data . $cd . eocd(2, length $cd, length $data, ''), 'refuse', '4 bytes before entry');
}
{
	# b.go's local header and data inside a.go's stored data
	my $b = ent('b.go', $code, method => 0);
	my $a = ent('a.go', 'package m // ' . loc($b) . "\n", method => 0);
	my $g = ent('go.mod', $gomod);
	$b->{off} = length(loc($g)) + 30 + length($a->{name}) + length('package m // ');
	my ($data, $cd) = parts(0, $g, $a);
	$cd .= cen($b, $b->{off});
	out('overlap.zip', $data . $cd . eocd(3, length $cd, length $data, ''), 'refuse', 'overlaps');
}
{
	# a.go's data runs 10 bytes into the central directory
	my @e = module();
	$e[1]{csize} += 10;
	$e[1]{usize} += 10;
	my ($data, $cd) = parts(0, @e);
	out('data-in-cdir.zip', $data . $cd . eocd(2, length $cd, length $data, ''),
	    'refuse', 'runs into the central directory');
}

# ---- local headers that say otherwise than the central directory
out('local-name.zip', zipfile([ent('go.mod', $gomod), ent('a.go', $code, lname => $P . 'b.go')]),
    'refuse', 'local header names');
out('local-method.zip', zipfile([ent('go.mod', $gomod, lmethod => 0)]), 'refuse', 'compression method 0 in its local header');
out('local-size.zip', zipfile([ent('a.go', $code, method => 0,
	lsizes => [Compress::Raw::Zlib::crc32($code), 4, 4])]), 'refuse', 'sizes or crc in its local header');
out('local-crc.zip', zipfile([ent('a.go', $code, method => 0,
	lsizes => [1, length $code, length $code])]), 'refuse', 'sizes or crc in its local header');
out('local-descriptor-flag.zip', zipfile([ent('go.mod', $gomod, flags => 8, lflags => 0, lsizes => [0, 0, 0])]),
    'refuse', 'data descriptor flag');
out('local-encrypted.zip', zipfile([ent('go.mod', $gomod, lflags => 1)]), 'refuse', 'encrypted entries are not allowed');
out('local-unicode-path.zip', zipfile([ent('go.mod', $gomod, lextra => pack('vvCV', 0x7075, 5, 1, 0))]),
    'refuse', 'unicode path extra field not allowed');

# ---- the data itself
out('descriptor-crc.zip', zipfile([ent('go.mod', $gomod, flags => 8,
	desc => pack('VVVV', 0x08074b50, 1, length deflated($gomod), length $gomod))]), 'refuse', 'data descriptor');
{
	my $e = ent('go.mod', $gomod);
	$e->{body} = $e->{comp} . 'junk';
	$e->{csize} += 4;
	out('deflate-trailing.zip', zipfile([$e]), 'refuse', '4 bytes after the end of its deflate stream');
	$e = ent('go.mod', $gomod);
	$e->{body} = substr($e->{comp}, 0, -2);
	$e->{csize} -= 2;
	out('deflate-short.zip', zipfile([$e]), 'refuse', 'deflate stream');
}

print "$_\n" for @manifest;
