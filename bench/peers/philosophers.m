-- N dining philosophers with the forks as actors. The Murphi twin of
-- bench/models/philosophers.ts, for Rumur.
--
-- Granularity: one rule per daxcheck step (docs/semantics.md §2, §6):
--   hungry(i)       local event of philosopher i
--   take_left(i)    rendezvous of philosopher i and fork i
--   take_right(i)   rendezvous of philosopher i and fork i+1 (mod N)
--   release(i)      three-party rendezvous of philosopher i and both its forks
-- The state is daxcheck's canonical state: the state value of every philosopher and fork.
--
-- The size: the line `N: 5;` below (bench/run.ts rewrites it per size).
-- ORDERED (bench/models/philosophers-deadlock.ts, knob order): 0, everyone picks up the left fork
-- first (the deadlock bench/first-violation.ts finds, with --deadlock-detection stuck); 1, the last
-- philosopher picks up its right fork (fork 0) first: resource ordering, no deadlock.

const
  N: 5;
  ORDERED: 0;

type
  pid_t: 0..N-1;
  phil_t: enum { P_THINKING, P_HUNGRY, P_HAS_ONE, P_EATING };  -- P_HAS_ONE: holds its first fork
  fork_t: enum { F_FREE, F_TAKEN };

var
  phil: array[pid_t] of phil_t;
  fork: array[pid_t] of fork_t;

function right(i: pid_t): pid_t;
begin
  if i = N-1 then return 0; else return i+1; endif;
end;

-- Picks up the right fork first: the last philosopher, under resource ordering.
function right_first(i: pid_t): boolean;
begin
  return ORDERED = 1 & i = N-1;
end;

startstate "init"
begin
  for i: pid_t do
    phil[i] := P_THINKING;
    fork[i] := F_FREE;
  endfor;
end;

ruleset i: pid_t do
  rule "hungry" phil[i] = P_THINKING ==>
  begin
    phil[i] := P_HUNGRY;
  end;

  rule "take_left" fork[i] = F_FREE & ((!right_first(i) & phil[i] = P_HUNGRY) | (right_first(i) & phil[i] = P_HAS_ONE)) ==>
  begin
    if right_first(i) then phil[i] := P_EATING; else phil[i] := P_HAS_ONE; endif;
    fork[i] := F_TAKEN;
  end;

  rule "take_right" fork[right(i)] = F_FREE & ((!right_first(i) & phil[i] = P_HAS_ONE) | (right_first(i) & phil[i] = P_HUNGRY)) ==>
  begin
    if right_first(i) then phil[i] := P_HAS_ONE; else phil[i] := P_EATING; endif;
    fork[right(i)] := F_TAKEN;
  end;

  rule "release" phil[i] = P_EATING & fork[i] = F_TAKEN & fork[right(i)] = F_TAKEN ==>
  begin
    phil[i] := P_THINKING;
    fork[i] := F_FREE;
    fork[right(i)] := F_FREE;
  end;
endruleset;

invariant "neighbours_never_both_eat"
  forall i: pid_t do !(phil[i] = P_EATING & phil[right(i)] = P_EATING) endforall;
