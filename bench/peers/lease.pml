/*
 * Lease-break protocol: N clients and one server exchange REQUEST/GRANT/BREAK/ACK/RELEASE
 * through bounded FIFO mailboxes. The Promela twin of bench/models/lease.ts, for SPIN.
 *
 * Granularity: one d_step per daxcheck step (docs/semantics.md §3, §6):
 *   want(i), done(i)    a local event of client i (a macrostep that emits one message)
 *   deliver_client(i)   one delivery from client i's mailbox (head only: policy `block`)
 *   deliver_server      one delivery from the server's mailbox: the first message the server
 *                       accepts, REQUESTs it does not accept being deferred (policy `defer`), any
 *                       other message it does not accept blocking the mailbox.
 * Mailboxes are arrays, not channels, so that the deferred scan is one step and unused slots are
 * kept cleared: equal daxcheck states are equal SPIN states. Every process stays at the head of
 * its loop, so process counters never change. k, m, t, f, h are scratch variables, zero again at
 * the end of every d_step so that they never tell two states apart (SPIN's BFS mode forbids
 * `hidden`).
 *
 * The size: spin -a -DN=5 lease.pml   (N <= 8); the buggy variant: -DBUGGY=1
 */
#ifndef N
#define N 3
#endif
#ifndef BUGGY
#define BUGGY 0        /* -DBUGGY=1: clients ack a stale BREAK (bench/models/lease.ts, knob ackStale) */
#endif
#define SCAP (2 * N)   /* server mailbox: at most 2 messages per client are ever in flight */
#define CCAP 3         /* client mailbox: stale BREAK, GRANT, BREAK */
#define NONE N         /* null for holder / waiter */

#define C_IDLE     0
#define C_WAITING  1
#define C_HOLDING  2
#define S_FREE     0
#define S_HELD     1
#define S_BREAKING 2
#define M_NONE     0   /* server messages */
#define M_REQUEST  1
#define M_ACK      2
#define M_RELEASE  3
#define M_CNONE    0   /* client messages */
#define M_GRANT    1
#define M_BREAK    2

byte cst[N];
byte sst = S_FREE;
byte holder = NONE;
byte waiter = NONE;
byte sqt[SCAP];
byte sqf[SCAP];
byte slen;
byte cq[N * CCAP];
byte clen[N];

byte k, m, t, f, h;   /* scratch: zero between steps */
#define SCRATCH_CLEAR k = 0; m = 0; t = 0; f = 0; h = 0

inline send_srv(mt, mf) {
  assert(slen < SCAP);      /* mailbox-overflow (server) */
  sqt[slen] = mt; sqf[slen] = mf; slen++
}
inline send_cli(c, mt) {
  assert(clen[c] < CCAP);   /* mailbox-overflow (client) */
  cq[c * CCAP + clen[c]] = mt; clen[c]++
}
inline check_mutex() {      /* invariant mutex: only a GRANT delivery can break it */
  h = 0; k = 0;
  do
  :: k < N -> if :: cst[k] == C_HOLDING -> h++ :: else -> skip fi; k++
  :: else -> break
  od;
  assert(h <= 1)
}

/* Does the server accept the message in slot j in its current state? */
#define ACC(j) ((sst == S_FREE && sqt[j] == M_REQUEST) || \
  (sst == S_HELD && (sqt[j] == M_REQUEST || (sqt[j] == M_RELEASE && sqf[j] == holder))) || \
  (sst == S_BREAKING && (sqt[j] == M_ACK || sqt[j] == M_RELEASE) && sqf[j] == holder))
/* Dj: a delivery exists that takes slot j or a later one (REQUESTs before it deferred). */
#define DSTEP(j, next) ((j) < slen && (ACC(j) || (sqt[j] == M_REQUEST && next)))
#if SCAP > 15
#define D15 DSTEP(15, false)
#else
#define D15 false
#endif
#if SCAP > 14
#define D14 DSTEP(14, D15)
#else
#define D14 false
#endif
#if SCAP > 13
#define D13 DSTEP(13, D14)
#else
#define D13 false
#endif
#if SCAP > 12
#define D12 DSTEP(12, D13)
#else
#define D12 false
#endif
#if SCAP > 11
#define D11 DSTEP(11, D12)
#else
#define D11 false
#endif
#if SCAP > 10
#define D10 DSTEP(10, D11)
#else
#define D10 false
#endif
#if SCAP > 9
#define D9 DSTEP(9, D10)
#else
#define D9 false
#endif
#if SCAP > 8
#define D8 DSTEP(8, D9)
#else
#define D8 false
#endif
#if SCAP > 7
#define D7 DSTEP(7, D8)
#else
#define D7 false
#endif
#if SCAP > 6
#define D6 DSTEP(6, D7)
#else
#define D6 false
#endif
#if SCAP > 5
#define D5 DSTEP(5, D6)
#else
#define D5 false
#endif
#if SCAP > 4
#define D4 DSTEP(4, D5)
#else
#define D4 false
#endif
#define D3 DSTEP(3, D4)
#define D2 DSTEP(2, D3)
#define D1 DSTEP(1, D2)
#define D0 DSTEP(0, D1)

active [N] proctype Client()
{
  do
  :: d_step { cst[_pid] == C_IDLE ->                                        /* want */
       cst[_pid] = C_WAITING; send_srv(M_REQUEST, _pid) }
  :: d_step { cst[_pid] == C_HOLDING ->                                     /* done */
       cst[_pid] = C_IDLE; send_srv(M_RELEASE, _pid) }
  :: d_step { clen[_pid] > 0 &&                                             /* deliver_client */
              (cq[_pid * CCAP] == M_BREAK || cst[_pid] == C_WAITING) ->
       m = cq[_pid * CCAP];
       k = 0;
       do
       :: k < CCAP - 1 -> cq[_pid * CCAP + k] = cq[_pid * CCAP + k + 1]; k++
       :: else -> break
       od;
       cq[_pid * CCAP + CCAP - 1] = M_CNONE;
       clen[_pid]--;
       if
       :: m == M_GRANT -> cst[_pid] = C_HOLDING; check_mutex()
       :: m == M_BREAK && cst[_pid] == C_HOLDING -> cst[_pid] = C_IDLE; send_srv(M_ACK, _pid)
#if BUGGY
       :: else -> send_srv(M_ACK, _pid)   /* the bug: a stale BREAK acked */
#else
       :: else -> skip   /* a stale BREAK in idle or waiting: ignored */
#endif
       fi;
       SCRATCH_CLEAR }
  od
}

active proctype Server()
{
  do
  :: d_step { D0 ->                                                         /* deliver_server */
       k = 0;
       do
       :: ACC(k) -> break
       :: else -> k++
       od;
       t = sqt[k]; f = sqf[k];
       do
       :: k < SCAP - 1 -> sqt[k] = sqt[k + 1]; sqf[k] = sqf[k + 1]; k++
       :: else -> break
       od;
       sqt[SCAP - 1] = M_NONE; sqf[SCAP - 1] = 0;
       slen--;
       if
       :: sst == S_FREE ->                         /* REQUEST: grant at once */
            holder = f; sst = S_HELD; send_cli(f, M_GRANT)
       :: sst == S_HELD && t == M_REQUEST ->       /* someone else wants it: break the holder */
            waiter = f; sst = S_BREAKING; send_cli(holder, M_BREAK)
       :: sst == S_HELD && t != M_REQUEST ->       /* RELEASE from the holder */
            holder = NONE; sst = S_FREE
       :: sst == S_BREAKING ->                     /* ACK or RELEASE from the holder */
            holder = waiter; waiter = NONE; sst = S_HELD; send_cli(holder, M_GRANT)
       fi;
       SCRATCH_CLEAR }
  od
}
