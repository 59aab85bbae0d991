#!/bin/sh
# An owner's upstream private patterns and goreg-import's patterns are
# GOPRIVATE's: golang.org/x/mod/module.MatchPrefixPatterns, over Go's
# path.Match.  t-modpath checks goreg's matcher against each line of
# tests/unit/matchprefix.txt; here x/mod itself (tests/oracle/matchprefix)
# answers each line, and must give its last column, so that the table
# says what the go command does.
. "$(dirname "$0")/lib.sh"
go_oracle matchprefix
V=$GOREG_TOP/tests/unit/matchprefix.txt
grep -v '^#' "$V" > "$T/vectors"
n=$(wc -l < "$T/vectors")
[ "$n" -ge 100 ]
ok $? "$n lines in tests/unit/matchprefix.txt"
"$T/matchprefix" < "$T/vectors" > "$T/got" || bail "the oracle failed"
cut -f3 "$T/vectors" > "$T/want"
paste "$T/vectors" "$T/got" | awk -F'\t' '$3 != $4 { print "# patterns \"" $1 "\", module \"" $2 "\": the table says " $3 ", x/mod " $4 }'
cmp -s "$T/got" "$T/want"
ok $? "x/mod's MatchPrefixPatterns gives the table's answer on every line"
done_testing
