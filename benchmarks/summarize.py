#!/usr/bin/env python3
# Median tables from the peer harness's JSONL results, our two transports (and strict mode) told apart.
#   python3 benchmarks/summarize.py benchmarks/results/peers-2026-12-07c.jsonl
import json, sys, statistics as st
rows=[]
for f in sys.argv[1:]:
    for line in open(f):
        line=line.strip()
        if not line: continue
        try: r=json.loads(line)
        except: continue
        rows.append(r)
def name(r):
    c=r.get('client')
    if c=='ours':
        t=(r.get('settings') or {}).get('transport','?')
        s=(r.get('settings') or {}).get('strict')
        n='ours-netty' if t=='NETTY' else 'ours-jws'
        return n+('-strict' if s else '')
    return c
def med(xs):
    xs=[x for x in xs if x is not None]
    return st.median(xs) if xs else None
order=['ours-netty','ours-netty-strict','ours-jws','jdkws-raw','javaws-raw','ocppwsio','ocpprpc','chargetime']
def fmt(x,d=0):
    return '–' if x is None else (f"{x:,.{d}f}")
groups={}
for r in rows:
    k=(r['bench'],r.get('server'),r.get('clients',0),name(r))
    groups.setdefault(k,[]).append(r)
for bench in ['latency','pipelined','push']:
    print(f"\n#### {bench}\n")
    print("| client | server | calls/s (reps) | p50 µs | p99 µs | CPU s/10k | RSS MB | threads | noise s |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    ks=sorted([k for k in groups if k[0]==bench], key=lambda k:(k[1], order.index(k[3]) if k[3] in order else 99))
    for k in ks:
        g=groups[k]
        cps=[r.get('calls_per_s') for r in g]
        err=sum((r.get('errors') or 0)+(r.get('call_errors') or 0) for r in g)
        print(f"| {k[3]} | {k[1]} | {fmt(med(cps))} ({', '.join(fmt(x) for x in cps)}) | {fmt(med([r.get('p50_us') for r in g]))} | {fmt(med([r.get('p99_us') for r in g]))} | {fmt(med([r.get('cpu_s_per_10k') for r in g]),2)} | {fmt(med([(r.get('proc_maxrss_kb') or 0)/1024 for r in g]))} | {fmt(med([r.get('threads') for r in g]))} | {fmt(max(r.get('other_cpu_s') or 0 for r in g),1)} |{' errors '+str(err) if err else ''}")
print("\n#### fanout\n")
print("| client | server | C | total s (reps) | connect s | calls s | CPU s/10k | RSS MB | live heap KB/client | threads | noise s |")
print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
ks=sorted([k for k in groups if k[0]=='fanout'], key=lambda k:(k[1],k[2], order.index(k[3]) if k[3] in order else 99))
for k in ks:
    g=groups[k]
    tot=[r.get('total_s') for r in g]
    err=sum((r.get('call_errors') or 0)+(r.get('connect_errors') or 0) for r in g)
    print(f"| {k[3]} | {k[1]} | {k[2]:,} | {fmt(med(tot),2)} ({', '.join(fmt(x,1) for x in tot)}) | {fmt(med([r.get('connect_s') for r in g]),2)} | {fmt(med([r.get('calls_phase_s') for r in g]),2)} | {fmt(med([r.get('cpu_s_per_10k') for r in g]),2)} | {fmt(med([(r.get('proc_maxrss_kb') or 0)/1024 for r in g]))} | {fmt(med([r.get('live_heap_per_client_kb') for r in g]),1)} | {fmt(med([r.get('threads') for r in g]))} | {fmt(max(r.get('other_cpu_s') or 0 for r in g),1)} |{' errors '+str(err) if err else ''}")
