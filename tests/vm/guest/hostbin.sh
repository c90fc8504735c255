#!/bin/sh
# Run the HOST's binary of this script's name (fio, xmllint) in the guest through the read-only
# 9p share of / at /host, so the initramfs does not carry its libraries (fio's ~80 MB, libxml2's
# libicu). /lib64/ld-linux* is an absolute symlink, so call the loader by its real path and
# point it at the host's library directories.
L=/host/lib/x86_64-linux-gnu:/host/usr/lib/x86_64-linux-gnu:/host/usr/lib/x86_64-linux-gnu/ceph
exec /host/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path $L "/host/usr/bin/${0##*/}" "$@"
