import { threadId } from "node:worker_threads";

/**
 * Per-bucket locks over an Int32Array in a SharedArrayBuffer: 0 is free, anything else is the
 * holder's ticket. Threads spin rather than sleep. The sections these locks guard are a few
 * dozen array reads and writes with no call that can block, so a waiter is normally let in
 * within a few hundred nanoseconds; `Atomics.wait` and `notify` cost a futex system call each,
 * longer than the whole section, and a wait blocks the event loop just as a spin does.
 */

/** A waiter that sees one ticket hold a lock this long takes it: its holder was terminated mid-section. */
const STEAL_AFTER_MS = 200;
/** Spins between readings of the clock while waiting. */
const SPINS_PER_CLOCK = 1024;

/** Each acquisition gets its own ticket, so a waiter can tell one long hold from many short ones. */
let sequence = 0;
const THREAD_BITS = (threadId & 0x3ff) << 20;

/** Takes lock `index`, spinning while another thread holds it; returns the ticket `unlock` needs. */
export function lock(locks: Int32Array, index: number): number {
  sequence = (sequence + 1) & 0xfffff;
  // Bit 30 keeps every ticket non-zero.
  const ticket = (1 << 30) | THREAD_BITS | sequence;
  if (Atomics.compareExchange(locks, index, 0, ticket) === 0) return ticket;
  return contended(locks, index, ticket);
}

/** Releases the lock, unless a waiter took it from this thread after STEAL_AFTER_MS. */
export function unlock(locks: Int32Array, index: number, ticket: number): void {
  Atomics.compareExchange(locks, index, ticket, 0);
}

function contended(locks: Int32Array, index: number, ticket: number): number {
  let seen = 0;
  let since = 0;
  let spins = 0;
  for (;;) {
    const holder = Atomics.load(locks, index);
    if (holder === 0) {
      if (Atomics.compareExchange(locks, index, 0, ticket) === 0) return ticket;
      continue;
    }
    if (++spins < SPINS_PER_CLOCK) continue;
    spins = 0;
    const now = performance.now();
    if (holder !== seen) {
      seen = holder;
      since = now;
    } else if (now - since >= STEAL_AFTER_MS && Atomics.compareExchange(locks, index, holder, ticket) === holder) {
      return ticket;
    }
  }
}
