#!/bin/sh
# The VM bench guest's agent (tests/vm/rcvm.py, VM.sh): one shell line per request on the
# virtio-serial port "rcvm.ctl", answered by the output and a line "@@RC=<n>@@".
#   rcvm-agent POWEROFF-COMMAND
# Run by /init (busybox guest) and by rcvm-agent.service (systemd guest); the command is how
# each powers off on @@POWEROFF@@ (poweroff -f, systemctl poweroff).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
OFF=${1:-poweroff -f}
up() { cut -d' ' -f1 /proc/uptime; }
finish() { echo "RCVM: poweroff t=$(up)"; sync; eval "$OFF"; exit 0; }
# the port's driver may still be on its way (udev loads it in the systemd guest)
modprobe virtio_console 2>/dev/null
PORT= i=0
while [ -z "$PORT" ] && [ $i -lt 100 ]; do
    for p in /sys/class/virtio-ports/vport*; do
        [ "$(cat "$p/name" 2>/dev/null)" = rcvm.ctl ] && [ -c "/dev/${p##*/}" ] &&
            PORT=/dev/${p##*/}
    done
    [ -n "$PORT" ] || { i=$((i + 1)); sleep 0.1; }
done
[ -n "$PORT" ] || { echo "RCVM: no rcvm.ctl port"; finish; }
# The port is opened ONCE and never closed: a virtio port allows one open at a time, and
# closing it discards data the host already sent (= lost commands). While no host client is
# connected, read() returns EOF at once, hence the poll with a short sleep.
# The second port "rcvm.dbg" answers while the first is busy: when a command hangs, the host
# asks here what is stuck (guest/stuck.sh: blocked tasks' stacks, requests in flight per device).
for p in /sys/class/virtio-ports/vport*; do
    if [ "$(cat "$p/name" 2>/dev/null)" = rcvm.dbg ]; then
        ( exec 4<>"/dev/${p##*/}"
          while :; do
              while IFS= read -r line <&4; do
                  sh -c "$line" </dev/null >&4 2>&1; echo "@@RC=$?@@" >&4
              done
              sleep 0.1
          done ) &
    fi
done
echo "RCVM: agent ready on $PORT t=$(up)"
exec 3<>"$PORT"
cd /root
while :; do
    while IFS= read -r line <&3; do
        [ "$line" = @@POWEROFF@@ ] && { echo "@@RC=0@@" >&3; finish; }
        sh -c "$line" </dev/null >&3 2>&1; echo "@@RC=$?@@" >&3
    done
    sleep 0.1
done
