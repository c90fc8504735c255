#!/bin/sh
# rc-stuck: what a guest that stopped making progress is waiting on, in a few lines.
# The host runs it on the "rcvm.dbg" port when a command times out (rcvm.py, VM.sh):
#   - every task in D (uninterruptible) or R state, with its kernel stack: a waiter on a
#     mutex, a bio or a frozen queue shows where (blk_io_schedule() hides direct I/O waits
#     from the hung-task detector, so nothing else reports them);
#   - every block device with requests in flight, with its blk-mq debugfs state: requests
#     stuck in rclN but not in any member are ours, requests stuck in a member are below us.
self=$$
for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$pid" = "$self" ] && continue
    st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "$d/status" 2>/dev/null)
    case "$st" in D|R) ;; *) continue ;; esac
    comm=$(cat "$d/comm" 2>/dev/null)
    case "$comm" in sh|cat|sed|grep|rc-stuck) continue ;; esac
    echo "task $pid $comm state $st"
    sed 's/^/    /' "$d/stack" 2>/dev/null
done
for b in /sys/block/*; do
    dev=${b##*/}
    set -- $(cat "$b/inflight" 2>/dev/null)
    [ "${1:-0}" = 0 ] && [ "${2:-0}" = 0 ] && continue
    echo "dev $dev inflight reads $1 writes $2"
    for h in /sys/kernel/debug/block/"$dev"/hctx*; do
        [ -d "$h" ] || continue
        for f in state busy dispatch; do
            v=$(cat "$h/$f" 2>/dev/null)
            [ -n "$v" ] && echo "$v" | sed "s|^|    ${h##*/}/$f: |"
        done
    done
done
echo "stuck: done"
