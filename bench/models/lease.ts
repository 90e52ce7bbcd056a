/**
 * Benchmark model: a lease-break protocol (bench only; the kernel's lease machines live in
 * machines/). Twin of bench/peers/lease.m (Rumur) and bench/peers/lease.pml (SPIN).
 *
 * N clients and one server exchange messages through bounded FIFO mailboxes:
 *   client -> server: REQUEST (wants the lease), RELEASE (gives it up), ACK (gave it up on a break)
 *   server -> client: GRANT (the lease is yours), BREAK (give it up, someone else wants it)
 * The server grants a free lease at once; when another client asks for a held lease it sends BREAK
 * to the holder and waits for ACK, or for a RELEASE that crossed the BREAK, then grants the waiter.
 * While it waits it defers further REQUESTs (mailbox policy `defer`: selective receive). A client
 * ignores a BREAK that arrives after it released the lease (it is stale).
 *
 * Mailbox capacities never overflow: a client has at most two messages in flight to the server
 * (RELEASE or ACK, then REQUEST), and a client mailbox holds at most a stale BREAK, a GRANT and a
 * new BREAK. The peers assert the same bounds.
 *
 * Counts (Rumur and SPIN agree): N = 2: 103, 3: 1,300, 4: 17,551, 5: 265,546, 6: 4,506,651.
 */
import { assign, emit, setup } from 'xstate';
import { defineSpec, type GlobalView, type KnobValues, type SpecDecl, type SystemDecl } from '../../src/spec/types.js';

type ToServer = { type: 'REQUEST'; from: string } | { type: 'RELEASE'; from: string } | { type: 'ACK'; from: string };
type ToClient = { type: 'GRANT'; to: string } | { type: 'BREAK'; to: string };

const CITE = 'bench model (lease break: fs/locks.c __break_lease, lease_modify)';

/**
 * A BREAK that reaches a client which no longer holds the lease is stale (it crossed our RELEASE).
 * The fixed client ignores it; the buggy one (knob ackStale) acks it anyway, and the server takes
 * that ACK for the answer to a later break of the same client's new lease: it grants the waiter
 * while the client still holds (needs 3 clients).
 */
const staleBreak = [
  { guard: 'ackStale', actions: 'ack', meta: { fn: 'acks a stale break (bug)', cite: CITE } },
  // XState returns the very same snapshot for a transition that changes nothing; the empty assign
  // keeps the receive visible in the snapshot too (daxcheck takes it either way: snapshot.can).
  { actions: 'ignore', meta: { fn: 'ignores a stale break', cite: CITE } },
] as const;

export const client = setup({
  types: {
    context: {} as { id: string; ackStale: boolean },
    input: {} as { id: string; ackStale?: boolean },
    events: {} as { type: 'want' } | { type: 'done' } | ToClient,
    emitted: {} as ToServer,
  },
  guards: { ackStale: ({ context }) => context.ackStale },
  actions: {
    ack: emit(({ context }) => ({ type: 'ACK' as const, from: context.id })),
    ignore: assign({}),
  },
}).createMachine({
  id: 'client',
  context: ({ input }) => ({ id: input.id, ackStale: !!input.ackStale }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        want: {
          target: 'waiting',
          actions: emit(({ context }) => ({ type: 'REQUEST' as const, from: context.id })),
          meta: { fn: 'asks for the lease', cite: CITE },
        },
        // A stale BREAK (it crossed our RELEASE): ignored. XState returns the very same snapshot
        // for a transition that changes nothing, which daxcheck reads as "not accepted" (and the
        // mailbox would block); the empty assign makes the receive a real, state-preserving step.
        BREAK: staleBreak,
      },
    },
    waiting: {
      on: {
        GRANT: { target: 'holding', meta: { fn: 'gets the lease', cite: CITE } },
        BREAK: staleBreak,
      },
    },
    holding: {
      tags: ['holding'],
      on: {
        done: {
          target: 'idle',
          actions: emit(({ context }) => ({ type: 'RELEASE' as const, from: context.id })),
          meta: { fn: 'gives the lease up', cite: CITE },
        },
        BREAK: {
          target: 'idle',
          actions: emit(({ context }) => ({ type: 'ACK' as const, from: context.id })),
          meta: { fn: 'gives the lease up on a break', cite: CITE },
        },
      },
    },
  },
});

export const server = setup({
  types: {
    context: {} as { holder: string | null; waiter: string | null },
    events: {} as ToServer,
    emitted: {} as ToClient,
  },
  guards: {
    fromHolder: ({ context, event }) => event.from === context.holder,
  },
}).createMachine({
  id: 'server',
  context: { holder: null, waiter: null },
  initial: 'free',
  states: {
    free: {
      on: {
        REQUEST: {
          target: 'held',
          actions: [
            assign({ holder: ({ event }) => event.from }),
            emit(({ event }) => ({ type: 'GRANT' as const, to: event.from })),
          ],
          meta: { fn: 'grants a free lease', cite: CITE },
        },
      },
    },
    held: {
      on: {
        REQUEST: {
          target: 'breaking',
          actions: [
            assign({ waiter: ({ event }) => event.from }),
            emit(({ context }) => ({ type: 'BREAK' as const, to: context.holder as string })),
          ],
          meta: { fn: 'breaks the lease for a new request', cite: CITE },
        },
        RELEASE: { guard: 'fromHolder', target: 'free', actions: assign({ holder: null }), meta: { fn: 'lease released', cite: CITE } },
      },
    },
    breaking: {
      on: {
        ACK: {
          guard: 'fromHolder',
          target: 'held',
          actions: [
            assign(({ context }) => ({ holder: context.waiter, waiter: null })),
            emit(({ context }) => ({ type: 'GRANT' as const, to: context.holder as string })),
          ],
          meta: { fn: 'break acknowledged: grants the waiter', cite: CITE },
        },
        RELEASE: {
          guard: 'fromHolder',
          target: 'held',
          actions: [
            assign(({ context }) => ({ holder: context.waiter, waiter: null })),
            emit(({ context }) => ({ type: 'GRANT' as const, to: context.holder as string })),
          ],
          meta: { fn: 'released during the break: grants the waiter', cite: CITE },
        },
      },
    },
  },
});

/** The sizes the knob offers: N = 2 .. 7 clients. */
export const SIZES = [2, 3, 4, 5, 6, 7] as const;

const cl = (i: number) => `c${i}`;

const lease = {
  name: 'bench-lease',
  title: 'Lease-break protocol, N clients and a server with mailboxes (benchmark)',
  knobs: {
    clients: { values: SIZES, default: 3, doc: 'number of clients' },
    ackStale: { values: [false, true], default: false, doc: 'buggy clients: ack a stale break instead of ignoring it' },
  },
  deadlock: false,
  system: (k: KnobValues): SystemDecl => {
    const n = Number(k.clients);
    const ids = [...Array(n).keys()].map(cl);
    const actors: Record<string, { machine: typeof client | typeof server; input?: unknown; thread?: boolean }> = {};
    for (const id of ids) actors[id] = { machine: client, input: { id, ackStale: k.ackStale === true }, thread: true };
    actors.server = { machine: server, thread: true };
    const mailboxes: Record<string, { capacity: number; policy?: Record<string, 'defer'> }> = {};
    for (const id of ids) mailboxes[id] = { capacity: 3 };
    mailboxes.server = { capacity: 2 * n, policy: { REQUEST: 'defer' } };
    return {
      actors,
      events: {
        want: { local: ids, doc: 'client asks for the lease' },
        done: { local: ids, doc: 'client gives the lease up' },
        GRANT: { wired: ids },
        BREAK: { wired: ids },
        REQUEST: { wired: ['server'] },
        RELEASE: { wired: ['server'] },
        ACK: { wired: ['server'] },
      },
      wires: [
        ...ids.flatMap((id) => (['REQUEST', 'RELEASE', 'ACK'] as const).map((event) => ({ from: id, event, to: 'server' }))),
        { from: 'server', event: 'GRANT', toField: 'to', targets: ids },
        { from: 'server', event: 'BREAK', toField: 'to', targets: ids },
      ],
      mailboxes,
    };
  },
  properties: [
    {
      name: 'mutex',
      kind: 'invariant',
      doc: 'at most one client holds the lease',
      cite: CITE,
      check: (s: GlobalView) => s.actors.filter((a) => a !== 'server' && s.hasTag(a, 'holding')).length <= 1,
      witness: (s: GlobalView) => s.hasTag('c0', 'holding'),
      // It counts holders over every client: renaming clients does not change its answer.
      symmetric: true,
    },
  ],
  variants: {
    default: {
      knobs: {},
      expect: { '*': { verdict: 'holds', cite: 'the server grants only after the holder acked or released' } },
    },
    'ack-stale': {
      knobs: { ackStale: true },
      doc: 'a client acks a stale break; the server takes it for the ack of a later break and grants the waiter',
      expect: {
        mutex: { verdict: 'violated', cite: 'by hand: c0 re-acquires with a stale BREAK queued before its GRANT, acks it; c2 is granted on that ACK' },
        'mailbox-overflow': { verdict: 'violated', cite: 'a stale ACK the server does not take blocks its mailbox while the clients keep sending' },
      },
    },
  },
} satisfies SpecDecl;

export default defineSpec(lease);

/**
 * The same protocol with the clients declared interchangeable (docs/symmetry.md): the twin of
 * bench/peers/lease-sym.m, where `cid` is a scalarset. A client's name appears in its own context
 * (`id`), in the server's (`holder`, `waiter`), and in every message (`from`, `to`).
 */
export const leaseSymmetric = defineSpec({
  ...lease,
  name: 'bench-lease-sym',
  title: 'Lease-break protocol, N interchangeable clients and a server (benchmark, symmetry)',
  system: (k) => ({
    ...lease.system(k),
    symmetry: [{
      instances: [...Array(Number(k.clients)).keys()].map(cl),
      refs: {
        context: { client: ['id'], server: ['holder', 'waiter'] },
        events: { REQUEST: ['from'], RELEASE: ['from'], ACK: ['from'], GRANT: ['to'], BREAK: ['to'] },
      },
    }],
  }),
});
