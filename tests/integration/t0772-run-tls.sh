#!/bin/sh
# make run TLS=1: the demo over https, with a throwaway CA it makes and
# names; the lines it prints work as printed: the upload with curl
# --cacert, owner private, the .netrc line, and the go command with
# SSL_CERT_FILE and GOPROXY downloading the now private module.
. "$(dirname "$0")/lib.sh"
for c in nginx openssl go setsid systemd-socket-activate; do
	command -v "$c" >/dev/null 2>&1 || skip_all "no $c"
done
[ -z "${GOREG_O:-}" ] || skip_all "make run serves bin/, not O=$GOREG_O/bin"

PORT=$(free_port)
setsid make -s -C "$GOREG_TOP" run TLS=1 PORT="$PORT" GOREG_RUN_ROOT="$T/store" GOREG_RUN_TLS="$T/tls" \
	>"$T/run.out" 2>&1 </dev/null &
RUN=$!
trap 'kill -TERM -$RUN 2>/dev/null; wait $RUN 2>/dev/null; cleanup' EXIT
i=0
until ss -Htln "sport = :$PORT" 2>/dev/null | grep -q . || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
ss -Htln "sport = :$PORT" | grep -q .
ok $? "make run TLS=1 listens on 127.0.0.1:$PORT" || { sed 's/^/# /' "$T/run.out"; bail "not started"; }
grep -q "^  serving: https://127.0.0.1:$PORT/" "$T/run.out"
ok $? "it says it serves https"
is "$(sed -n 's/^  CA: *\([^ ]*\).*/\1/p' "$T/run.out")" "$T/tls/ca.pem" "it names its CA"
openssl verify -CAfile "$T/tls/ca.pem" "$T/tls/cert.pem" >/dev/null 2>&1
ok $? "the server's certificate is the CA's"

make_module "$T/src" example.com/hello
"$B/goreg-pack" -o "$T/hello.zip" example.com/hello v1.0.0 "$T/src"
# the printed lines, with this test's zip
curl_line=$(sed -n 's/^  curl //p' "$T/run.out" | sed "s|/tmp/hello.zip|$T/hello.zip|")
# shellcheck disable=SC2086
code=$(curl -sS -o "$T/body" -w '%{http_code}' $curl_line)
is "$code $(cat "$T/body")" "201 created example.com/hello@v1.0.0" "the printed curl line uploads over https"
priv=$(sed -n 's/^  \(.*goreg-admin .* owner private demo\)$/\1/p' "$T/run.out")
sh -c "$priv"
ok $? "the printed goreg-admin line makes it private"
BASE=https://127.0.0.1:$PORT/api/packages/demo/go
is "$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$T/tls/ca.pem" "$BASE/example.com/hello/@v/list")" 401 \
	"anonymous: 401 now"
mkdir -p "$T/home" "$T/app"
netrc=$(sed -n "s/^  printf '\(.*\)' >> ~\/.netrc$/\1/p" "$T/run.out")
# shellcheck disable=SC2059
printf "$netrc" > "$T/home/.netrc"
chmod 600 "$T/home/.netrc"
is "$(cut -d' ' -f1-4 "$T/home/.netrc")" "machine 127.0.0.1 login demo" "the printed .netrc line"
goline=$(sed -n 's/^  \(SSL_CERT_FILE=.*\)$/\1/p' "$T/run.out")
like "$goline" "^SSL_CERT_FILE=$T/tls/ca.pem GOPROXY=$BASE GOSUMDB=goreg\\.demo\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44} " \
	"the go line names the CA, the https base and demo's checksum database"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
# shellcheck disable=SC2086
json=$(go_env env GONOSUMDB= $goline 2>&1)
ok $? "the printed go line downloads the private module with .netrc over https, checked in the database ($(printf '%s' "$json" | tail -n 2 | tr '\n' ' '))"
like "$json" '"Sum": "h1:[A-Za-z0-9+/]{43}="' "  and go hashed it"
ls "$T/gopath/pkg/mod/cache/download/sumdb/goreg.demo/lookup/example.com/hello@v1.0.0" > /dev/null 2>&1
ok $? "  the go command looked it up in demo's checksum database"
done_testing
