#!/bin/sh
# Persistent connections (RFC 9112 section 9.3): one goreg-httpd process
# serves request after request on one connection until the client closes,
# says Connection: close, or stays idle past GOREG_IDLE_TIMEOUT.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R" GOREG_IDLE_TIMEOUT=1
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"

spawned() { grep -c '^Spawned ' "$HTTPD_LOG"; }

# curl with many URLs in one invocation reuses its connection
before=$(spawned)
set --
for _ in $(seq 1 25); do
	for f in list v1.0.0.info v1.0.0.mod v1.0.0.zip; do
		set -- "$@" -o /dev/null "$U/$M/@v/$f"
	done
done
out=$(curl -s -w '%{http_code} %{num_connects}\n' "$@")
is "$(printf '%s\n' "$out" | grep -c '^200 ')" 100 "100 requests on one curl invocation all answered 200"
is "$(printf '%s\n' "$out" | awk '{ n += $2 } END { print n }')" 1 "curl opened one connection for all of them"
is "$(( $(spawned) - before ))" 1 "systemd-socket-activate spawned one goreg-httpd for them"
wait_log ' req=100$'
pid=$(grep -o 'pid=[0-9]* req=100$' "$HTTPD_LOG" | cut -d' ' -f1)
like "$pid" '^pid=[0-9]+$' "the access log numbers the requests of the connection up to req=100"
is "$(grep -c " $pid req=" "$HTTPD_LOG")" 100 "one process logged all 100 requests"

# errors that need not end the connection do not end it
out=$(curl -s -w '%{http_code} %{num_connects}\n' -o /dev/null "$U/$M/@v/list" -o /dev/null \
	"$U/example.com/nothere/@v/list" -o /dev/null "$U/$M/@v/v9.9.9.info" \
	--next -s -w '%{http_code} %{num_connects}\n' -o /dev/null -X DELETE "$U/$M/@v/list" \
	--next -s -w '%{http_code} %{num_connects}\n' -o /dev/null "$U/$M/@latest")
is "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ')" "200 404 404 405 200 " "200, 404, 404, 405, 200 on one connection"
is "$(printf '%s\n' "$out" | awk '{ n += $2 } END { print n }')" 1 "404 and 405 keep the connection"

# an upload and then reads on the same connection (curl --next)
before=$(spawned)
out=$(curl -s -o /dev/null -w '%{http_code} %{num_connects}\n' --user "acme:$TOKEN" --upload-file "$T/hello11.zip" \
	"$U/upload" --next -o /dev/null -w '%{http_code} %{num_connects}\n' "$U/$M/@v/list" \
	--next -o "$T/list" -w '%{http_code} %{num_connects}\n' "$U/$M/@v/list")
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "201 1 200 0 200 0 " "PUT then GETs on one connection (--next)"
is "$(cat "$T/list")" "$(printf 'v1.0.0\nv1.1.0')" "the GET after the PUT sees the new version"
is "$(( $(spawned) - before ))" 1 "one process for the upload and the reads"

# the connection ends when the client says so ...
out=$(raw "send:GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: x\r\n\r\n" wait:10)
ok $? "Connection: close: the server closes"
is "$(printf '%s' "$out" | statuses)" 200 "one answer, the request after it is not read"
like "$(printf '%s' "$out" | tr -d '\r')" 'Connection: close' "the answer says Connection: close"
# ... or after the idle timeout, without an answer
out=$(raw "send:GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: x\r\n\r\n" wait:10)
ok $? "an idle connection is closed by the server (GOREG_IDLE_TIMEOUT=1)"
is "$(printf '%s' "$out" | statuses)" 200 "after answering the one request"
out=$(raw wait:10)
ok $? "a connection that never sends is closed too"
is "$out" "" "with nothing written to it"
done_testing
