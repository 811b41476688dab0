#!/usr/bin/env python3
"""A client for the forwarding tests: connects to 127.0.0.1:PORT (or to
the Unix socket PORT when it holds a '/'), sends
the file IN while it writes what comes back to OUT, half-closes after the
last byte, and exits once the peer has closed (status 0), or with status 1
and the reason when the connection fails. A time limit bounds it."""
import socket
import sys
import threading


def send_all(sock, path, errors):
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(65536)
                if not chunk:
                    break
                sock.sendall(chunk)
        sock.shutdown(socket.SHUT_WR)
    except OSError as e:
        errors.append(e)


def main():
    where, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    if "/" in where:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(120)
        sock.connect(where)
    else:
        sock = socket.create_connection(("127.0.0.1", int(where)), timeout=120)
    errors = []
    sender = threading.Thread(target=send_all, args=(sock, src, errors))
    sender.start()
    with open(dst, "wb") as out:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            out.write(data)
    sender.join()
    sock.close()
    if errors:
        print("fwd_client: %s" % errors[0], file=sys.stderr)
        sys.exit(1)


main()
