#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ripc authors
#
# Two boards in two network namespaces joined by a veth pair (label "netns"; needs root):
#  1. TCP: 20000 messages while the link is cut (veth down) for 2.5 s and restored: every
#     message arrives exactly once and in order, and the sender saw a reconnect.
#  2. UDP through link_udp_proxy (drops, duplicates, reorders): the receiver's loss,
#     duplicate and reorder counters equal what the proxy says it did.
#
#   netns.sh <link_node> <link_udp_proxy>
set -euo pipefail

node=$1
proxy=$2
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
	echo "SKIP: network namespaces need root and iproute2 (ip)"
	exit 77
fi

tag=$$
a=ripc-a-$tag
b=ripc-b-$tag
va=rva$tag
vb=rvb$tag
work=$(mktemp -d)
cleanup() {
	kill $(jobs -p) 2>/dev/null || true
	ip netns del "$a" 2>/dev/null || true
	ip netns del "$b" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$a"
ip netns add "$b"
ip link add "$va" type veth peer name "$vb"
ip link set "$va" netns "$a"
ip link set "$vb" netns "$b"
ip -n "$a" addr add 10.77.0.1/24 dev "$va"
ip -n "$b" addr add 10.77.0.2/24 dev "$vb"
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" link set "$va" up
ip -n "$b" link set "$vb" up

fail() {
	echo "FAIL: $*"
	for f in "$work"/*.log; do
		echo "--- $f"
		cat "$f"
	done
	exit 1
}

# Field @2 of the "key=value" line of @1.
field() { sed -nE "s/.*[ ]$2=([0-9]+).*/\1/p" "$1" | tail -1; }

echo "=== TCP: cut the link mid-stream"
count=20000
ip netns exec "$b" "$node" tcp-recv 10.77.0.2:7100 10.77.0.1 $count >"$work/tcp-recv.log" 2>&1 &
recv=$!
sleep 0.3
ip netns exec "$a" "$node" tcp-send 10.77.0.2:7100 $count >"$work/tcp-send.log" 2>&1 &
send=$!
sleep 1
ip -n "$a" link set "$va" down
echo "link down"
sleep 2.5
ip -n "$a" link set "$va" up
echo "link up"
wait $send || fail "TCP sender"
wait $recv || fail "TCP receiver"
cat "$work/tcp-send.log" "$work/tcp-recv.log"
reconnects=$(field "$work/tcp-send.log" reconnects)
[ "${reconnects:-0}" -ge 1 ] || fail "the sender never reconnected: the cut was not seen"

echo "=== UDP: lossy, duplicating, reordering proxy"
count=5000
ip netns exec "$a" "$proxy" 10.77.0.1:7201 10.77.0.2:7200 4242 4 4 4 >"$work/proxy.log" 2>&1 &
px=$!
ip netns exec "$b" "$node" udp-recv 10.77.0.2:7200 10.77.0.1:7202 10.77.0.1 120 \
	>"$work/udp-recv.log" 2>&1 &
recv=$!
ip netns exec "$a" "$node" udp-send 10.77.0.1:7202 10.77.0.1:7201 10.77.0.2 $count \
	>"$work/udp-send.log" 2>&1 || fail "UDP sender"
wait $recv || fail "UDP receiver"
kill -TERM $px
wait $px || fail "proxy"
cat "$work/proxy.log" "$work/udp-send.log" "$work/udp-recv.log"
numbered=$(field "$work/proxy.log" numbered)
dropped=$(field "$work/proxy.log" dropped)
duplicated=$(field "$work/proxy.log" duplicated)
reordered=$(field "$work/proxy.log" reordered)
[ "$numbered" -eq $count ] || fail "proxy saw $numbered numbered datagrams, sender sent $count"
[ "$dropped" -gt 0 ] && [ "$duplicated" -gt 0 ] && [ "$reordered" -gt 0 ] ||
	fail "the proxy did not disturb the stream"
[ "$(field "$work/udp-recv.log" udp_lost)" -eq "$dropped" ] || fail "lost != dropped"
[ "$(field "$work/udp-recv.log" udp_duplicates)" -eq "$duplicated" ] ||
	fail "duplicates != duplicated"
[ "$(field "$work/udp-recv.log" udp_reordered)" -eq "$reordered" ] ||
	fail "reordered != reordered"
[ "$(field "$work/udp-recv.log" delivered)" -eq $((count - dropped)) ] ||
	fail "delivered != sent - dropped"
echo "PASS: TCP exactly once across a cut; UDP counters match the proxy"
