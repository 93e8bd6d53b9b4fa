#!/usr/bin/env python3
"""Makes the real `ss` samples HostSnapshotParserTest reads (run as root):

    sudo analyzer/src/test/resources/host/make-samples.py

Two namespaces stp-<pid>-a (client, 10.85.0.1 / fd85::1) and stp-<pid>-b (server,
10.85.0.2 / fd85::2) joined by a veth pair (stp-va / stp-vb). The server listens on
ports 7001-7015, the client makes sockets in every state it can (port plan below),
then `ss -tanpoie`, `ss -tanoi`, `ss -tan` and `ss -Htan` run in both namespaces and
are written to {server,client}-{tanpoie,tanoi,tan,Htan}.ss here (tanpoie with the
`# taken at` / `# host` header tcpscope documents). The namespaces are removed at the end.

Port plan (server port / client port):
  7001 LISTEN only, 10.85.0.2
  7002 / 47002 client close() (orphan FIN-WAIT-2), server never closes: CLOSE-WAIT with keepalive
  7003 / 47003 client shutdown(SHUT_WR): full-socket FIN-WAIT-2; server CLOSE-WAIT
  7004 / 47004 client closes first, server after EOF: client TIME-WAIT
  7005 / 47005 ESTAB, client SO_KEEPALIVE idle 60 s: timer:(keepalive,...)
  7006 / 47006 the client's handshake ACK dropped (nft, client output): server SYN-RECV, client ESTAB
  7007 / 47007 SYNs dropped (nft, server input): client SYN-SENT
  7008 / 47008 client shutdown(SHUT_WR), then its output dropped, server close(): server LAST-ACK
  7009 / 47009 client input from 7009 dropped, client close(): client FIN-WAIT-1, server CLOSE-WAIT
  7010 / 47010 server never reads (small buffer), client sends 4 MB: client persist timer
  7011 / 47011 dual-stack listener [::]:7011, IPv4 client: [::ffff:10.85.0.x]
  7012 / 47012 IPv6 v6only listener [fd85::2]:7012, IPv6 client
  7013 / 47013 link-local listener [fe80::...%stp-vb]:7013, client via %stp-va
  7014         listener 0.0.0.0:7014 bound to device stp-vb (SO_BINDTODEVICE): 0.0.0.0%stp-vb:7014
  7015 / 47015-47018 backlog 1, never accepted: accept queue full (LISTEN Recv-Q 2),
               the later handshakes stay SYN-RECV on the server / ESTAB or SYN-SENT on the client
Not producible here: UNCONN (a bound TCP socket is in no hash table inet_diag dumps),
CLOSING (needs FINs crossing in flight).
"""
import os, subprocess, sys, time, datetime

HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "stp-%d" % os.getpid()
A, B = TAG + "-a", TAG + "-b"


def run(*cmd, check=True, **kw):
    r = subprocess.run(list(cmd), capture_output=True, text=True, **kw)
    if check and r.returncode:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr))
    return r


def ns(n, *cmd, **kw):
    return run("ip", "netns", "exec", n, *cmd, **kw)


SERVER = r"""
import socket, threading, time, struct, sys
from socket import *
keep = []
def lst(fam, addr, port, backlog=16, v6only=None, dev=None, rcvbuf=None):
    s = socket(fam, SOCK_STREAM); s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    if v6only is not None: s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, v6only)
    if dev: s.setsockopt(SOL_SOCKET, SO_BINDTODEVICE, dev.encode())
    if rcvbuf: s.setsockopt(SOL_SOCKET, SO_RCVBUF, rcvbuf)
    s.bind((addr, port) if fam == AF_INET else (addr, port, 0, 0) if "%" not in addr else
           getaddrinfo(addr, port, AF_INET6)[0][4])
    s.listen(backlog); keep.append(s); return s
def serve(l, handler):
    def loop():
        while True:
            c, _ = l.accept(); keep.append(c); threading.Thread(target=handler, args=(c,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
def never_close(c):
    c.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1); c.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 30)
    while c.recv(65536): pass
def close_after_eof(c):
    while c.recv(65536): pass
    c.close()
def hold(c):
    time.sleep(3600)
def close_on_signal(c):
    while c.recv(65536): pass
    time.sleep(1.0); c.close()
lst(AF_INET, "10.85.0.2", 7001)
for port, h in ((7002, never_close), (7003, never_close), (7004, close_after_eof), (7005, hold), (7006, hold),
                (7007, hold), (7008, close_on_signal), (7009, hold)):
    serve(lst(AF_INET, "10.85.0.2", port), h)
serve(lst(AF_INET, "10.85.0.2", 7010, rcvbuf=4096), hold)
serve(lst(AF_INET6, "::", 7011, v6only=0), hold)
serve(lst(AF_INET6, "fd85::2", 7012, v6only=1), hold)
serve(lst(AF_INET6, sys.argv[1] + "%stp-vb", 7013), hold)
lst(AF_INET, "0.0.0.0", 7014, dev="stp-vb")
lst(AF_INET, "10.85.0.2", 7015, backlog=1)
print("READY", flush=True)
time.sleep(3600)
"""

CLIENT = r"""
import socket, time, sys
from socket import *
keep = []
def conn(fam, addr, port, cport, keepalive=False, block=True):
    s = socket(fam, SOCK_STREAM); s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    if keepalive:
        s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1); s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 60)
    if fam == AF_INET: s.bind(("10.85.0.1", cport))
    elif addr.startswith("fe80"): s.bind(getaddrinfo(sys.argv[1] + "%stp-va", cport, AF_INET6)[0][4])
    else: s.bind(("fd85::1", cport, 0, 0))
    if not block:
        s.setblocking(False)
        try: s.connect((addr, port))
        except BlockingIOError: pass
    else:
        s.connect(getaddrinfo(addr, port, fam)[0][4])
    keep.append(s); return s
s = conn(AF_INET, "10.85.0.2", 7002, 47002); s.send(b"x" * 100); time.sleep(0.1); s.close()
s = conn(AF_INET, "10.85.0.2", 7003, 47003); s.send(b"x" * 100); s.shutdown(SHUT_WR)
s = conn(AF_INET, "10.85.0.2", 7004, 47004); s.send(b"x" * 100); time.sleep(0.1); s.close()
s = conn(AF_INET, "10.85.0.2", 7005, 47005, keepalive=True)
s = conn(AF_INET, "10.85.0.2", 7006, 47006)
conn(AF_INET, "10.85.0.2", 7007, 47007, block=False)
s8 = conn(AF_INET, "10.85.0.2", 7008, 47008); s8.shutdown(SHUT_WR)
s9 = conn(AF_INET, "10.85.0.2", 7009, 47009)
s = conn(AF_INET, "10.85.0.2", 7010, 47010); s.setblocking(False)
try:
    for i in range(64): s.send(b"z" * 65536)
except BlockingIOError: pass
conn(AF_INET, "10.85.0.2", 7011, 47011)
conn(AF_INET6, "fd85::2", 7012, 47012)
conn(AF_INET6, sys.argv[2] + "%stp-va", 7013, 47013)
for p in range(47015, 47019):
    conn(AF_INET, "10.85.0.2", 7015, p, block=False)
print("STEP2", flush=True)
sys.stdin.readline()
s9.close()
print("DONE", flush=True)
time.sleep(3600)
"""

NFT_CLIENT = """table inet stp {
  chain output { type filter hook output priority 0; policy accept;
    tcp dport 7006 tcp flags & (syn|ack) == ack counter drop
  }
  chain input { type filter hook input priority 0; policy accept;
    tcp sport 7009 ip saddr 10.85.0.2 tcp flags & (syn) == 0 counter drop
  }
}
"""
NFT_CLIENT_LATER = "add rule inet stp output tcp sport 47008 counter drop\n"
NFT_SERVER = """table inet stp {
  chain input { type filter hook input priority 0; policy accept;
    tcp dport 7007 counter drop
  }
}
"""


def linklocal(n, dev):
    out = ns(n, "ip", "-6", "addr", "show", "dev", dev, "scope", "link").stdout
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("inet6 fe80"):
            return line.split()[1].split("/")[0]
    raise RuntimeError("no link-local address on " + dev)


def main():
    if os.geteuid() != 0:
        sys.exit("run as root")
    procs = []
    try:
        run("ip", "netns", "add", A)
        run("ip", "netns", "add", B)
        run("ip", "-n", A, "link", "add", "stp-va", "type", "veth", "peer", "name", "stp-vb", "netns", B)
        for n, dev, v4, v6 in ((A, "stp-va", "10.85.0.1", "fd85::1"), (B, "stp-vb", "10.85.0.2", "fd85::2")):
            run("ip", "-n", n, "link", "set", "lo", "up")
            ns(n, "sysctl", "-qw", "net.ipv6.conf.%s.accept_dad=0" % dev)
            run("ip", "-n", n, "addr", "add", v4 + "/24", "dev", dev)
            run("ip", "-n", n, "addr", "add", v6 + "/64", "dev", dev, "nodad")
            run("ip", "-n", n, "link", "set", dev, "up")
        time.sleep(1.0)
        ll_a, ll_b = linklocal(A, "stp-va"), linklocal(B, "stp-vb")
        ns(A, "nft", "-f", "-", input=NFT_CLIENT)
        ns(B, "nft", "-f", "-", input=NFT_SERVER)
        ns(A, "sysctl", "-qw", "net.ipv4.tcp_fin_timeout=60")
        import subprocess as sp
        srv = sp.Popen(["ip", "netns", "exec", B, "python3", "-u", "-c", SERVER, ll_b], stdout=sp.PIPE, text=True)
        procs.append(srv)
        assert srv.stdout.readline().strip() == "READY"
        cli = sp.Popen(["ip", "netns", "exec", A, "python3", "-u", "-c", CLIENT, ll_a, ll_b], stdin=sp.PIPE,
                       stdout=sp.PIPE, text=True)
        procs.append(cli)
        assert cli.stdout.readline().strip() == "STEP2", "client failed"
        time.sleep(0.3)
        ns(A, "nft", "-f", "-", input=NFT_CLIENT_LATER)   # 7008: the client's ACKs dropped from now on
        cli.stdin.write("go\n"); cli.stdin.flush()
        assert cli.stdout.readline().strip() == "DONE"
        time.sleep(2.0)   # server closes 7008 (LAST-ACK), SYN-ACK / FIN retransmissions run
        for side, n in (("client", A), ("server", B)):
            for opts in ("tanpoie", "tanoi", "tan", "Htan"):
                now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                text = ns(n, "ss", "-" + opts).stdout
                if opts == "tanpoie":
                    text = "# taken at %s\n# host %s\n%s" % (now, side, text)
                with open(os.path.join(HERE, "%s-%s.ss" % (side, opts)), "w") as fh:
                    fh.write(text)
        print("link-local client %s server %s" % (ll_a, ll_b))
    finally:
        for p in procs:
            p.kill()
        for n in (A, B):
            subprocess.run(["ip", "netns", "del", n], capture_output=True)


if __name__ == "__main__":
    main()
