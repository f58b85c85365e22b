#!/usr/bin/env python3
"""Per-stream RTP interval statistics of a pcap (loadtest/bin/media-calls.sh): every UDP packet whose source port is
in FIRST..LAST is one frame of the stream of that source port (one vmport call). Prints one line: streams, packets,
sequence gaps, the mean of the streams' mean intervals, the share of streams with mean 20 +- 0.5 ms, p99 over all
intervals and the worst stream's p99, the largest interval, the intervals over 40 ms and the streams having any.
Timestamps are the kernel's, taken when the packet crossed the loopback (vmport's send time), not dumpcap's.
usage: rtp-intervals.py PCAP FIRST LAST"""
import struct, sys

def packets(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        magic = struct.unpack('<I', head[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            e, scale = '<', (1e-6 if magic == 0xa1b2c3d4 else 1e-9)
        else:
            e, scale = '>', (1e-6 if struct.unpack('>I', head[:4])[0] == 0xa1b2c3d4 else 1e-9)
        link = struct.unpack(e + 'I', head[20:24])[0]
        l2 = {1: 14, 113: 16, 276: 20, 0: 4}[link]
        rec = struct.Struct(e + 'IIII')
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, incl, _ = rec.unpack(h)
            data = f.read(incl)
            ip = l2
            if len(data) < ip + 20 or (data[ip] >> 4) != 4 or data[ip + 9] != 17:
                continue
            udp = ip + (data[ip] & 15) * 4
            if len(data) < udp + 12:
                continue
            sport = (data[udp] << 8) | data[udp + 1]
            seq = (data[udp + 10] << 8) | data[udp + 11]
            yield sec + frac * scale, sport, seq

def pct(sorted_values, p):
    if not sorted_values:
        return float('nan')
    return sorted_values[min(len(sorted_values) - 1, int(p / 100.0 * len(sorted_values)))]

def main():
    path, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    last_seen = {}
    streams = {}
    gaps = 0
    n = 0
    for t, sport, seq in packets(path):
        if sport < first or sport > last:
            continue
        n += 1
        prev = last_seen.get(sport)
        if prev is not None:
            step = (seq - prev[1]) & 0xFFFF
            if step == 1:
                streams.setdefault(sport, []).append((t - prev[0]) * 1000.0)
            elif step != 0:
                gaps += 1
        last_seen[sport] = (t, seq)
    allv = []
    means, p99s, maxes, over40, streams_over40 = [], [], [], 0, 0
    for v in streams.values():
        if len(v) < 10:
            continue
        v.sort()
        allv.extend(v)
        means.append(sum(v) / len(v))
        p99s.append(pct(v, 99))
        maxes.append(v[-1])
        o = sum(1 for x in v if x > 40)
        over40 += o
        streams_over40 += 1 if o else 0
    allv.sort()
    s = len(means)
    ok_mean = sum(1 for m in means if abs(m - 20) <= 0.5)
    ok_p99 = sum(1 for p in p99s if p < 25)
    print(f"streams {s} packets {n} seq_gaps {gaps} mean_of_means_ms {sum(means) / max(1, s):.3f} "
          f"streams_mean_20+-0.5 {ok_mean}/{s} p50_ms {pct(allv, 50):.2f} p99_ms {pct(allv, 99):.2f} "
          f"p99.9_ms {pct(allv, 99.9):.2f} worst_stream_p99_ms {max(p99s) if p99s else float('nan'):.2f} "
          f"streams_p99<25 {ok_p99}/{s} max_ms {max(maxes) if maxes else float('nan'):.2f} "
          f"intervals>40ms {over40} streams_with_gap>40ms {streams_over40}")

main()
