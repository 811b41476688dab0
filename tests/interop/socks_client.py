#!/usr/bin/env python3
"""A SOCKS client for the forwarding tests: PROXY_PORT VERSION HOST PORT IN
OUT. VERSION is 4 (HOST an IPv4 address), 4a or 5 (HOST a name or an
address); after the proxy grants the request it sends IN and writes what
comes back to OUT, like fwd_client.py. Exits 0 on success, 2 when the proxy
refuses (or closes the connection), 1 on any other failure. "bad" as
VERSION sends a request of version 6."""
import ipaddress
import socket
import struct
import sys
import threading


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("closed by the proxy")
        data += chunk
    return data


def handshake(sock, version, host, port):
    if version == "bad":
        sock.sendall(b"\x06\x01\x00\x50\x7f\x00\x00\x01\x00")
        recv_exact(sock, 1)
        return False
    if version in ("4", "4a"):
        ip = socket.inet_aton(host) if version == "4" else b"\x00\x00\x00\x01"
        req = b"\x04\x01" + struct.pack(">H", port) + ip + b"user\x00"
        if version == "4a":
            req += host.encode() + b"\x00"
        sock.sendall(req)
        return recv_exact(sock, 8)[1] == 90
    sock.sendall(b"\x05\x01\x00")
    if recv_exact(sock, 2) != b"\x05\x00":
        return False
    try:
        addr = ipaddress.ip_address(host)
        atyp = b"\x01" if addr.version == 4 else b"\x04"
        dst = atyp + addr.packed
    except ValueError:
        dst = b"\x03" + bytes([len(host)]) + host.encode()
    sock.sendall(b"\x05\x01\x00" + dst + struct.pack(">H", port))
    reply = recv_exact(sock, 10)
    return reply[1] == 0


def main():
    proxy, version, host, port, src, dst = sys.argv[1:7]
    sock = socket.create_connection(("127.0.0.1", int(proxy)), timeout=120)
    try:
        if not handshake(sock, version, host, int(port)):
            sys.exit(2)
    except (EOFError, ConnectionResetError):
        sys.exit(2)

    def send_all():
        with open(src, "rb") as f:
            while True:
                chunk = f.read(65536)
                if not chunk:
                    break
                sock.sendall(chunk)
        sock.shutdown(socket.SHUT_WR)

    sender = threading.Thread(target=send_all)
    sender.start()
    with open(dst, "wb") as out:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            out.write(data)
    sender.join()


main()
