// One downstream link shared by every response in flight: a byte budget that refills at
// the link's rate and is handed out in small slices, max-min fair, to the responses
// that are ready to send. A phone on a slow mobile network has one such pipe for
// everything it downloads, whichever connection or client (page, service worker) asked.
// TCP slow start and loss are not modelled: each response gets its share at once.

/**
 * `kbps`: the link's rate in kbit/s (1,000 bits). `now()`: the clock, in ms.
 * `tickMs`: how often slices are handed out while anything is sending; a slice is at
 * most tickMs × rate (400 B at 1.6 Mbit/s and 2 ms), so that is the model's granularity.
 *
 * `open({ startAt, size, send, end })` starts a transfer of `size` bytes that may not
 * begin before `startAt` (latency is the caller's business). `send(n)` is called with
 * each slice granted and returns false when it cannot take more for now (socket
 * backpressure: the transfer stops taking a share until `resume()`); `end()` is called
 * once all `size` bytes are granted. It returns `{ cancel(), resume(), sent }`.
 */
export function sharedDownlink({ kbps, now, tickMs = 2 }) {
  const bytesPerMs = kbps / 8;
  const flows = new Set();
  let timer = null;
  let timerDue = Infinity;
  // Time up to which the budget has been handed out; null while the link is idle, so
  // that an idle link does not save up bandwidth for later.
  let accountedTo = null;
  let carry = 0;

  const readyAt = (flow) => (flow.blocked ? Infinity : Math.max(flow.startAt, flow.resumedAt));

  function schedule() {
    const next = Math.min(...[...flows].map(readyAt));
    if (next === Infinity) return;
    // While sending, slices come every tick; otherwise wake when the next transfer may start.
    const due = Math.max(next, now() + (accountedTo == null ? 0 : tickMs));
    if (timer && timerDue <= due) return;
    clearTimeout(timer);
    timerDue = due;
    timer = setTimeout(tick, Math.max(0, due - now()));
  }

  function tick() {
    timer = null;
    timerDue = Infinity;
    const t = now();
    const ready = [...flows].filter((f) => readyAt(f) <= t);
    if (!ready.length) {
      accountedTo = null;
      carry = 0;
      schedule();
      return;
    }
    const from = accountedTo ?? Math.min(...ready.map(readyAt));
    let budget = carry + Math.max(0, t - from) * bytesPerMs;
    accountedTo = t;
    // Max-min fair: the smallest needs are met in full, the rest share what is left.
    ready.sort((a, b) => a.left - b.left);
    ready.forEach((flow, i) => {
      const give = Math.min(flow.left, Math.floor(budget / (ready.length - i)));
      if (give <= 0) return;
      budget -= give;
      flow.left -= give;
      flow.sent += give;
      const more = flow.send(give);
      if (flow.left === 0) {
        flows.delete(flow);
        flow.end();
      } else if (more === false) {
        flow.blocked = true;
      }
    });
    // Only the rounding is carried over, and only while some transfer still wants it;
    // otherwise the link goes idle until the next transfer is ready.
    if (ready.some((f) => flows.has(f) && !f.blocked)) carry = budget;
    else [accountedTo, carry] = [null, 0];
    schedule();
  }

  return {
    open({ startAt, size, send, end }) {
      const flow = { startAt, resumedAt: -Infinity, left: size, sent: 0, blocked: false, send, end };
      if (size <= 0) {
        // Nothing to move (cannot happen with a header estimate, but stay correct).
        queueMicrotask(end);
        return { cancel() {}, resume() {}, sent: 0 };
      }
      flows.add(flow);
      schedule();
      return {
        cancel() {
          flows.delete(flow);
        },
        resume() {
          if (!flow.blocked) return;
          flow.blocked = false;
          flow.resumedAt = now();
          schedule();
        },
        get sent() {
          return flow.sent;
        },
      };
    },
    /** Transfers not finished (waiting to start, sending, or blocked). */
    get active() {
      return flows.size;
    },
    /** Drops every transfer and the timer (for closing the server). */
    stop() {
      flows.clear();
      clearTimeout(timer);
      timer = null;
      timerDue = Infinity;
    },
  };
}
