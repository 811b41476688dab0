#!/usr/bin/env python3
"""An echo server for the forwarding tests: listens on 127.0.0.1 (port 0:
the kernel picks), or on the Unix socket path given second, writes its
port (0 for a path) to the file given first, echoes every
connection in its own thread, half-closes after the client's end of file.
Runs until killed (the test stops it by its PID)."""
import os
import socket
import sys
import threading


def echo(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)


def main():
    if len(sys.argv) > 2:
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(sys.argv[2])
        port = 0
    else:
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", 0))
        port = srv.getsockname()[1]
    srv.listen(64)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


main()
