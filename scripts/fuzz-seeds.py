#!/usr/bin/env python3
"""Writes the seed inputs of the Jazzer fuzz tests from captures already in the repository.

    scripts/fuzz-seeds.py            # rewrite the committed seeds (small, from the repo only)
    scripts/fuzz-seeds.py --shared /work/shared/corpus --out DIR
                                     # also seeds from a larger corpus, into DIR (not committed):
                                     # pass DIR to a long run (README, "Robustness and fuzzing")

Seeds, per target (Jazzer reads <TestClass>Inputs/<method>/ from the test resources):
  CaptureFileFuzzTest/readEveryFrame  small pcap and pcapng files, copied whole
  DecoderFuzzTest/decodeFrame         single frames: one link-type selector byte + the frame
  EngineFuzzTest/feedSegments         TCP conversations turned into the target's records

Crash inputs that Jazzer writes into these directories are regression inputs too: keep them
(named crash-<sha1>); this script never deletes files it did not write.
"""
import argparse
import hashlib
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAPTURE_SEEDS = os.path.join(ROOT, "capture/src/test/resources/io/tcpscope/capture/file/CaptureFileFuzzTestInputs/readEveryFrame")
DECODER_SEEDS = os.path.join(ROOT, "analyzer/src/test/resources/io/tcpscope/analyzer/decode/DecoderFuzzTestInputs/decodeFrame")
ENGINE_SEEDS = os.path.join(ROOT, "analyzer/src/test/resources/io/tcpscope/analyzer/engine/EngineFuzzTestInputs/feedSegments")

CORPUS = "capture/src/test/resources/corpus/"
# Whole files for the readers: every pcapng layout of the corpus, both pcap byte orders and
# precisions, a corrupt file of each kind, a snaplen-cut capture.
READER_FILES = [
    CORPUS + n for n in [
        "gopacket-le-test001.pcapng", "gopacket-le-test004.pcapng", "gopacket-le-test006.pcapng",
        "gopacket-le-test100.pcapng", "gopacket-be-test202.pcapng", "gopacket-le-test901.pcapng",
        "gopacket-le-test902.pcapng", "libpcap-shb-option-too-long.pcapng", "libpcap-pcapng-invalid-vers-1.pcapng",
        "tcpdump-tcp-handshake-nano.pcap", "arkime-y2038-bgp.pcap", "zeek-tcp-miss_end_data.pcap",
        "libpcap-linktype-reserved-field-not-zero.pcap", "libpcap-pcap-invalid-version-1.pcap",
    ]
] + ["fixtures/refused/capture.pcap", "fixtures/ipv6-refused/capture.pcap"]

# Link types in the order of DecoderFuzzTest.LINK_TYPES.
LINK_TYPES = [1, 113, 276, 0, 108, 101, 228, 229, 147]

# Captures whose frames seed the decoder and whose conversations seed the engine.
FRAME_FILES = [
    "fixtures/refused/capture.pcap", "fixtures/ipv6-refused/capture.pcap", "fixtures/snaplen-64/capture.pcap",
    "fixtures/fastopen/capture.pcap", CORPUS + "tcpdump-tcp-handshake-nano.pcap", CORPUS + "gopacket-test_loopback.pcap",
    CORPUS + "zeek-http-get-to-ssh-server.pcap", CORPUS + "arkime-y2038-bgp.pcap",
]
CONVERSATION_FILES = [
    "fixtures/close-by-client/capture.pcap", "fixtures/stuck-fin-wait-2/capture.pcap", "fixtures/simultaneous-open/capture.pcap",
    "fixtures/simultaneous-close/capture.pcap", "fixtures/rst-by-server/capture.pcap", "fixtures/keepalive/capture.pcap",
    "fixtures/timewait-reuse/capture.pcap", "fixtures/ipv6-rst-by-server/capture.pcap", "fixtures/refused/capture.pcap",
    "fixtures/midstream/capture.pcap", "fixtures/syn-flood-no-cookies/capture.pcap", "fixtures/fin-with-data/capture.pcap",
]
MAX_FRAMES_PER_FILE = 6
MAX_RECORDS = 64  # per engine seed: seeds stay small


def pcap_frames(data):
    """(link type, timestamp ns, frame bytes) of a classic pcap file; [] for anything else."""
    if len(data) < 24:
        return []
    magic = data[:4]
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">", b"\xa1\xb2\x3c\x4d": ">"}.get(magic)
    if order is None:
        return []
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    link = struct.unpack(order + "I", data[20:24])[0] & 0xFFFF
    out, p = [], 24
    while p + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(order + "IIII", data[p:p + 16])
        if caplen > 262144 or p + 16 + caplen > len(data):
            break
        out.append((link, sec * 1_000_000_000 + frac * (1 if nano else 1000), data[p + 16:p + 16 + caplen]))
        p += 16 + caplen
    return out


def tcp_of(link, frame):
    """(ipv6, src, dst, tcp header bytes, payload length) of an Ethernet/IP/TCP frame, or None."""
    if link != 1 or len(frame) < 14:
        return None
    ethertype = struct.unpack(">H", frame[12:14])[0]
    ip = frame[14:]
    if ethertype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
        ihl = (ip[0] & 15) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        tcp = ip[ihl:]
        src, dst, ipv6 = ip[12:16], ip[16:20], False
        declared = total - ihl
    elif ethertype == 0x86DD and len(ip) >= 40 and ip[6] == 6:
        tcp = ip[40:]
        src, dst, ipv6 = ip[8:24], ip[24:40], True
        declared = struct.unpack(">H", ip[4:6])[0]
    else:
        return None
    if len(tcp) < 20:
        return None
    hl = (tcp[12] >> 4) * 4
    if hl < 20 or len(tcp) < hl:
        return None
    return ipv6, src, dst, tcp[:hl], max(0, declared - hl)


def engine_records(frames):
    """The first connection of a capture as EngineFuzzTest records (relative seq/ack on tuple 0 or 2)."""
    records, isn, first, last_ns = [], {}, None, None
    for link, ns, frame in frames:
        t = tcp_of(link, frame)
        if t is None:
            continue
        ipv6, src, dst, tcp, payload = t
        sport, dport, seq, ack = struct.unpack(">HHII", tcp[:12])
        key = (src, sport)
        if first is None:
            first = (src, sport, dst, dport)
        if {(src, sport), (dst, dport)} != {(first[0], first[1]), (first[2], first[3])}:
            continue
        reverse = (src, sport) != (first[0], first[1])
        flags = tcp[13]
        isn.setdefault(key, seq)
        peer = (dst, dport)
        isn.setdefault(peer, (ack - 1) & 0xFFFFFFFF if flags & 0x10 else 0)
        base_tuple = 2 if ipv6 else 0
        rseq = (seq - isn[key]) & 0xFFFFFFFF
        rack = (ack - isn[peer]) & 0xFFFFFFFF
        options = tcp[20:][:40]
        delta = 0 if last_ns is None else max(-32768, min(32767, (ns - last_ns) // 10_000_000))
        last_ns = ns
        control = base_tuple | (4 if reverse else 0)
        records.append(struct.pack(">BBIIHHB", control, flags, rseq, rack, struct.unpack(">H", tcp[14:16])[0],
                                   min(payload, 1460), len(options)) + options + struct.pack(">h", delta))
        if len(records) == MAX_RECORDS:
            break
    return b"".join(records)


def write(directory, name, data, written):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)
    written.append(len(data))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", help="a corpus directory to take more seeds from (pcap/pcapng files)")
    parser.add_argument("--out", help="with --shared: where to write its seeds (one subdirectory per target)")
    args = parser.parse_args()
    if args.shared and not args.out:
        parser.error("--shared needs --out (seeds from outside the repo are not committed)")

    written = []
    for path in READER_FILES:
        with open(os.path.join(ROOT, path), "rb") as f:
            write(CAPTURE_SEEDS, os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)
                  if path.startswith("fixtures/") else os.path.basename(path), f.read(), written)
    for path in FRAME_FILES:
        with open(os.path.join(ROOT, path), "rb") as f:
            frames = pcap_frames(f.read())
        stem = path.split("/")[-2] if path.startswith("fixtures/") else os.path.basename(path).rsplit(".", 1)[0]
        for i, (link, _, frame) in enumerate(frames[:MAX_FRAMES_PER_FILE]):
            selector = LINK_TYPES.index(link) if link in LINK_TYPES else len(LINK_TYPES) - 1
            write(DECODER_SEEDS, "%s-%d" % (stem, i + 1), bytes([selector]) + frame, written)
    for path in CONVERSATION_FILES:
        with open(os.path.join(ROOT, path), "rb") as f:
            records = engine_records(pcap_frames(f.read()))
        if records:
            write(ENGINE_SEEDS, path.split("/")[-2], records, written)
    print("%d seeds, %d bytes, from the repository" % (len(written), sum(written)))

    if args.shared:
        extra = []
        for dirpath, _, names in os.walk(args.shared):
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                if not name.endswith((".pcap", ".pcapng", ".cap")) or os.path.getsize(path) > 1 << 20:
                    continue
                with open(path, "rb") as f:
                    data = f.read()
                digest = hashlib.sha1(data).hexdigest()[:16]
                write(os.path.join(args.out, "readEveryFrame"), digest, data, extra)
                frames = pcap_frames(data)
                for i, (link, _, frame) in enumerate(frames[:MAX_FRAMES_PER_FILE]):
                    if link in LINK_TYPES:
                        write(os.path.join(args.out, "decodeFrame"), "%s-%d" % (digest, i), bytes([LINK_TYPES.index(link)]) + frame, extra)
                records = engine_records(frames)
                if records:
                    write(os.path.join(args.out, "feedSegments"), digest, records, extra)
        print("%d seeds, %d bytes, from %s into %s" % (len(extra), sum(extra), args.shared, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
