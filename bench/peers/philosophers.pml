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
 */
#ifndef N
#define N 5
#endif

#define THINKING 0
#define HUNGRY   1
#define HAS_LEFT 2
#define EATING   3
#define FREE     0
#define TAKEN    1
#define RIGHT(i) (((i) + 1) % N)

byte phil[N];
bit fork[N];

active [N] proctype Phil()
{
  do
  :: d_step { phil[_pid] == THINKING ->
       phil[_pid] = HUNGRY }
  :: d_step { phil[_pid] == HUNGRY && fork[_pid] == FREE ->
       phil[_pid] = HAS_LEFT; fork[_pid] = TAKEN }
  :: d_step { phil[_pid] == HAS_LEFT && fork[RIGHT(_pid)] == FREE ->
       phil[_pid] = EATING; fork[RIGHT(_pid)] = TAKEN;
       /* invariant neighbours_never_both_eat: only this step can break it */
       assert(phil[(_pid + N - 1) % N] != EATING && phil[RIGHT(_pid)] != EATING) }
  :: d_step { phil[_pid] == EATING && fork[_pid] == TAKEN && fork[RIGHT(_pid)] == TAKEN ->
       phil[_pid] = THINKING; fork[_pid] = FREE; fork[RIGHT(_pid)] = FREE }
  od
}
