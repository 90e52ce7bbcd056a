-- Lease-break protocol with interchangeable clients: bench/peers/lease.m with the client ids a
-- scalarset, the Murphi twin of `leaseSymmetric` in bench/models/lease.ts (docs/symmetry.md).
-- Run with `rumur --symmetry-reduction exhaustive`: one state per class of states equal up to a
-- renaming of the clients, the classes daxcheck counts. A null holder, waiter or sender is an
-- undefined value (a scalarset has no constant to stand for "none"), so equal daxcheck states
-- are still equal Murphi states.
--
-- Granularity: one rule per daxcheck step (docs/semantics.md §3, §6):
--   want(i), done(i)      a local event of client i (a macrostep that emits one message)
--   deliver_client(i)     one delivery from client i's mailbox (head only: policy `block`)
--   deliver_server        one delivery from the server's mailbox: the first message the server
--                         accepts, REQUESTs it does not accept being deferred (policy `defer`),
--                         any other message it does not accept blocking the mailbox.
-- The state is exactly daxcheck's canonical state: client state values, the server's state value
-- and context (holder, waiter), the mailbox contents. Unused mailbox slots are kept cleared so
-- that equal daxcheck states are equal Murphi states.
--
-- The size: the line `N: 3;` below (bench/run.ts rewrites it per size); the buggy variant: the
-- line `BUGGY: 1;`.

const
  N: 3;
  BUGGY: 0;      -- 1: clients ack a stale BREAK (bench/models/lease.ts, knob ackStale)
  SCAP: 2 * N;   -- server mailbox: at most 2 messages per client are ever in flight
  CCAP: 3;       -- client mailbox: stale BREAK, GRANT, BREAK

type
  cid: scalarset(N);
  cstate_t: enum { C_IDLE, C_WAITING, C_HOLDING };
  sstate_t: enum { S_FREE, S_HELD, S_BREAKING };
  smsg_t: enum { M_NONE, M_REQUEST, M_ACK, M_RELEASE };
  cmsg_t: enum { M_CNONE, M_GRANT, M_BREAK };
  smsg: record t: smsg_t; f: cid; end;

var
  cst: array[cid] of cstate_t;
  sst: sstate_t;
  holder: cid;                                  -- undefined: null
  waiter: cid;
  sq: array[0..SCAP-1] of smsg;
  slen: 0..SCAP;
  cq: array[cid] of array[0..CCAP-1] of cmsg_t;
  clen: array[cid] of 0..CCAP;

procedure send_srv(t: smsg_t; f: cid);
begin
  assert slen < SCAP "mailbox-overflow (server)";
  sq[slen].t := t;
  sq[slen].f := f;
  slen := slen + 1;
end;

procedure send_cli(c: cid; t: cmsg_t);
begin
  assert clen[c] < CCAP "mailbox-overflow (client)";
  cq[c][clen[c]] := t;
  clen[c] := clen[c] + 1;
end;

-- Does the server's machine accept this message in its current state?
function srv_accepts(t: smsg_t; f: cid): boolean;
begin
  if sst = S_FREE then return t = M_REQUEST; endif;
  if sst = S_HELD then return t = M_REQUEST | (t = M_RELEASE & f = holder); endif;
  return (t = M_ACK | t = M_RELEASE) & f = holder;     -- held, breaking: holder is defined
end;

-- The index of the message a delivery takes from the server's mailbox, SCAP when none.
function srv_pick(): 0..SCAP;
begin
  for k: 0..SCAP-1 do
    if k < slen then
      if srv_accepts(sq[k].t, sq[k].f) then return k; endif;
      if sq[k].t != M_REQUEST then return SCAP; endif;   -- not deferrable: the mailbox blocks
    endif;
  endfor;
  return SCAP;
end;

function cli_accepts(c: cid; t: cmsg_t): boolean;
begin
  if t = M_GRANT then return cst[c] = C_WAITING; endif;
  return t = M_BREAK;            -- holding: ack it; idle or waiting: a stale break, ignored
end;

startstate "init"
begin
  for i: cid do
    cst[i] := C_IDLE;
    clen[i] := 0;
    for k: 0..CCAP-1 do cq[i][k] := M_CNONE; endfor;
  endfor;
  sst := S_FREE;
  undefine holder;
  undefine waiter;
  slen := 0;
  for k: 0..SCAP-1 do sq[k].t := M_NONE; undefine sq[k].f; endfor;
end;

ruleset i: cid do
  rule "want" cst[i] = C_IDLE ==>
  begin
    cst[i] := C_WAITING;
    send_srv(M_REQUEST, i);
  end;

  rule "done" cst[i] = C_HOLDING ==>
  begin
    cst[i] := C_IDLE;
    send_srv(M_RELEASE, i);
  end;

  rule "deliver_client" clen[i] > 0 & cli_accepts(i, cq[i][0]) ==>
  var m: cmsg_t;
  begin
    m := cq[i][0];
    for k: 0..CCAP-2 do cq[i][k] := cq[i][k+1]; endfor;
    cq[i][CCAP-1] := M_CNONE;
    clen[i] := clen[i] - 1;
    if m = M_GRANT then
      cst[i] := C_HOLDING;
    elsif cst[i] = C_HOLDING then
      cst[i] := C_IDLE;
      send_srv(M_ACK, i);
    elsif BUGGY = 1 then                      -- the bug: a stale BREAK acked
      send_srv(M_ACK, i);
    endif;
  end;
endruleset;

rule "deliver_server" srv_pick() < SCAP ==>
var k: 0..SCAP-1; t: smsg_t; f: cid;
begin
  k := srv_pick();
  t := sq[k].t;
  f := sq[k].f;
  for j: 0..SCAP-2 do
    if j >= k then sq[j] := sq[j+1]; endif;
  endfor;
  sq[SCAP-1].t := M_NONE;
  undefine sq[SCAP-1].f;
  slen := slen - 1;
  if sst = S_FREE then                        -- REQUEST: grant at once
    holder := f;
    sst := S_HELD;
    send_cli(f, M_GRANT);
  elsif sst = S_HELD & t = M_REQUEST then     -- someone else wants it: break the holder
    waiter := f;
    sst := S_BREAKING;
    send_cli(holder, M_BREAK);
  elsif sst = S_HELD then                     -- RELEASE from the holder
    undefine holder;
    sst := S_FREE;
  else                                        -- BREAKING: ACK or RELEASE from the holder
    holder := waiter;
    undefine waiter;
    sst := S_HELD;
    send_cli(holder, M_GRANT);
  endif;
end;

invariant "mutex"
  forall i: cid do forall j: cid do
    (i != j) -> !(cst[i] = C_HOLDING & cst[j] = C_HOLDING)
  endforall endforall;
