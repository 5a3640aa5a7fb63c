#!/usr/bin/python3
"""Peer: python3-ahocorasick (Debian) over the same terms and corpus, one
automaton search per line. Prints the median of RUNS runs."""
import sys, time, statistics
import ahocorasick

def main():
    lex, corpus, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5
    A = ahocorasick.Automaton()
    for i, t in enumerate(open(lex, encoding="utf-8").read().split("\n")):
        if t:
            A.add_word(t, i)
    A.make_automaton()
    lines = open(corpus, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    nbytes = sum(len(l.encode("utf-8")) + 1 for l in lines)
    times, hit_lines = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        hit_lines = 0
        for l in lines:
            for _m in A.iter(l):
                hit_lines += 1
                break
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"python3-ahocorasick terms={len(A)} lines={len(lines)} hit_lines={hit_lines} "
          f"median_s={med:.3f} MB/s={nbytes/1e6/med:.1f} posts/s={len(lines)/med:.0f}")

main()
