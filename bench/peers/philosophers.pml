/*
 * N dining philosophers with the forks as actors. The Promela twin of
 * bench/models/philosophers.ts, for SPIN.
 *
 * Granularity: one d_step per daxcheck step (docs/semantics.md §2, §6):
 *   hungry(i)      local event of philosopher i
 *   take_left(i)   rendezvous of philosopher i and fork i
 *   take_right(i)  rendezvous of philosopher i and fork i+1 (mod N)
 *   release(i)     three-party rendezvous of philosopher i and both its forks
 * One process per philosopher, always at the head of its loop: the process counters never
 * change, so the distinct states are exactly daxcheck's (every philosopher's and fork's state).
 *
 * The size: spin -a -DN=11 philosophers.pml
 * -DORDERED=1 (bench/models/philosophers-deadlock.ts, knob order): the last philosopher picks up
 * its right fork (fork 0) first: resource ordering. With ORDERED 0 (the default) everyone picks up
 * the left fork first, and the run without -E reports the deadlock (an invalid end state).
 */
#ifndef N
#define N 5
#endif
#ifndef ORDERED
#define ORDERED 0
#endif

#define THINKING 0
#define HUNGRY   1
#define HAS_ONE  2   /* holds its first fork */
#define EATING   3
#define FREE     0
#define TAKEN    1
#define RIGHT(i) (((i) + 1) % N)
#define RIGHT_FIRST(i) (ORDERED && (i) == N - 1)
/* invariant neighbours_never_both_eat: only a step that makes _pid eat can break it */
#define NEIGHBOURS_OK (phil[(_pid + N - 1) % N] != EATING && phil[RIGHT(_pid)] != EATING)

byte phil[N];
bit fork[N];

active [N] proctype Phil()
{
  do
  :: d_step { phil[_pid] == THINKING ->
       phil[_pid] = HUNGRY }
  :: d_step { fork[_pid] == FREE && phil[_pid] == (RIGHT_FIRST(_pid) -> HAS_ONE : HUNGRY) ->
       phil[_pid] = (RIGHT_FIRST(_pid) -> EATING : HAS_ONE); fork[_pid] = TAKEN;
       assert(phil[_pid] != EATING || NEIGHBOURS_OK) }
  :: d_step { fork[RIGHT(_pid)] == FREE && phil[_pid] == (RIGHT_FIRST(_pid) -> HUNGRY : HAS_ONE) ->
       phil[_pid] = (RIGHT_FIRST(_pid) -> HAS_ONE : EATING); fork[RIGHT(_pid)] = TAKEN;
       assert(phil[_pid] != EATING || NEIGHBOURS_OK) }
  :: d_step { phil[_pid] == EATING && fork[_pid] == TAKEN && fork[RIGHT(_pid)] == TAKEN ->
       phil[_pid] = THINKING; fork[_pid] = FREE; fork[RIGHT(_pid)] = FREE }
  od
}
