#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Notification latency of server resets, for bench_modes.sh.

  rst_latency.py hold ADDR PORT COUNT
      (phone) opens COUNT TCP connections to ADDR:PORT and keeps them until
      the server ends them.
  rst_latency.py reset PORT COUNT GO_FILE TRAP_LOG
      (SBC) accepts COUNT connections on PORT; once GO_FILE exists, resets
      them one at a time (SO_LINGER 0: the close sends an RST) and times each
      from just before the reset to the line of its fwStateSessionTornDown in
      snmptrapd's log (TRAP_LOG, read as it grows, every 0.5 ms). Prints one
      line per teardown ("ms=...") and a summary line.
"""
import os
import socket
import struct
import sys
import time

TIMEOUT_S = 10


def hold(addr, port, count):
    conns = []
    for _ in range(count):
        s = socket.create_connection((addr, port), timeout=TIMEOUT_S)
        conns.append(s)
    print(f"connected={len(conns)}", flush=True)
    for s in conns:
        s.settimeout(None)
        try:
            s.recv(1)
        except OSError:
            pass
        s.close()


def new_torn_down_lines(log, buf):
    """Complete lines appended to the log since the last call, torn-down ones counted."""
    chunk = log.read()
    if not chunk:
        return 0, buf
    buf += chunk
    *lines, rest = buf.split("\n")
    return sum("fwStateSessionTornDown" in line for line in lines), rest


def reset(port, count, go_file, trap_log):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", port))
    server.listen(count)
    conns = [server.accept()[0] for _ in range(count)]
    print(f"accepted={len(conns)}", flush=True)
    while not os.path.exists(go_file):
        time.sleep(0.05)
    latencies = []
    with open(trap_log, "r", encoding="utf-8", errors="replace") as log:
        log.seek(0, os.SEEK_END)
        buf = ""
        for conn in conns:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            t0 = time.monotonic()
            conn.close()
            seen = 0
            while seen == 0:
                seen, buf = new_torn_down_lines(log, buf)
                if seen:
                    break
                if time.monotonic() - t0 > TIMEOUT_S:
                    print(f"no notification within {TIMEOUT_S} s", flush=True)
                    sys.exit(1)
                time.sleep(0.0005)
            ms = (time.monotonic() - t0) * 1000
            latencies.append(ms)
            print(f"ms={ms:.2f}", flush=True)
            # the next reset only once this one's notification is in
            time.sleep(0.01)
    latencies.sort()
    median = latencies[len(latencies) // 2]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"teardowns={len(latencies)} median_ms={median:.2f} p99_ms={p99:.2f} "
          f"max_ms={latencies[-1]:.2f}", flush=True)


def main(argv):
    if len(argv) == 5 and argv[1] == "hold":
        hold(argv[2], int(argv[3]), int(argv[4]))
    elif len(argv) == 6 and argv[1] == "reset":
        reset(int(argv[2]), int(argv[3]), argv[4], argv[5])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
