// Running a build under measurement: wall time and the peak resident memory of the
// whole process tree, with a memory ceiling so that a build too big for this machine
// ends as a result ("out of memory at X GB after Y s") instead of taking the machine down.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const PAGE = 4096;
const GB = 1024 ** 3;

/** Every process, as pid -> parent pid (one pass over /proc; there is no children file here). */
function parents() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

/** `root` and all its descendants that are alive now. */
function tree(root) {
  const map = parents();
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, ppid] of map) if (ppid === found[i]) found.push(pid);
  }
  return found.filter((pid) => map.has(pid));
}

/** Resident bytes now, and the kernel's own high-water mark (VmHWM), of one process. */
function memoryOf(pid) {
  try {
    const rss = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    return { rss, hwm };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** Bytes of memory the kernel says new work can still get without swapping. */
function memAvailable() {
  return Number(/MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))[1]) * 1024;
}

// GNU time reports the largest RSS of any process it waited for (getrusage's ru_maxrss),
// exact even for a build too short for sampling to catch; optional (Debian package `time`).
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs `command args` and samples its process tree every `intervalMs`.
 * Peak memory is the largest of: the sampled sum of the tree's RSS, any one process's
 * VmHWM (its own high-water mark), and GNU time's maximum RSS when available. For a
 * single-process build (ours and Pagefind's both are) that is exact.
 * The tree is killed (its process group, which only this run started) when its RSS goes
 * over `limitBytes` or the machine has less than `reserveBytes` available.
 *
 * Returns { ok, ms, peakBytes, code, signal, stdout, stderr, killed? }, where killed is
 * { reason, atBytes, afterMs } if the ceiling was hit.
 */
export function runMeasured(command, args, { cwd, env, limitBytes = 20 * GB, reserveBytes = 1.5 * GB, intervalMs = 20 } = {}) {
  return new Promise((resolve, reject) => {
    const report = GNU_TIME && join(mkdtempSync(join(tmpdir(), 'bench-')), 'maxrss');
    const [program, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', report, '--', command, ...args]] : [command, args];
    const started = performance.now();
    // detached: the child leads a new process group, so the whole tree can be killed by id.
    const child = spawn(program, argv, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let peakBytes = 0;
    let killed = null;
    const sample = () => {
      let sum = 0;
      // GNU time itself (a few hundred KB) is not part of the build.
      for (const pid of tree(child.pid).filter((pid) => !GNU_TIME || pid !== child.pid)) {
        const { rss, hwm } = memoryOf(pid);
        sum += rss;
        peakBytes = Math.max(peakBytes, hwm);
      }
      peakBytes = Math.max(peakBytes, sum);
      if (killed) return;
      const reason = sum > limitBytes ? 'limit' : memAvailable() < reserveBytes ? 'machine' : null;
      if (reason) {
        killed = { reason, atBytes: sum, afterMs: performance.now() - started };
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    const timer = setInterval(sample, intervalMs);
    sample();
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      const ms = performance.now() - started;
      if (report) {
        // Missing or empty when the tree was killed.
        const kb = existsSync(report) ? Number(readFileSync(report, 'utf8').trim().split('\n').at(-1)) : 0;
        if (Number.isFinite(kb)) peakBytes = Math.max(peakBytes, kb * 1024);
        rmSync(dirname(report), { recursive: true, force: true });
      }
      resolve({ ok: code === 0 && !killed, ms, peakBytes, code, signal, stdout, stderr, ...(killed && { killed }) });
    });
  });
}

/** CPU ticks: busy and total over the machine (/proc/stat), and this process's own plus its reaped children's. */
function cpuTicks() {
  const [, ...machine] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = machine.reduce((a, b) => a + b, 0);
  const idle = machine[3] + machine[4]; // idle + iowait
  const self = readFileSync('/proc/self/stat', 'utf8');
  const [utime, stime, cutime, cstime] = self.slice(self.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
  return { busy: total - idle, total, ours: utime + stime + cutime + cstime };
}

/**
 * How much of the machine's CPU other processes took while a run went on (a compile, a
 * test suite), so that noisy timings can be told apart. Ours counts this process and
 * every child it has reaped (builds, Chromium, whose own children it reaped): call the
 * returned function after the browser has closed.
 */
export function cpuShareOfOthers() {
  const start = cpuTicks();
  return () => {
    const end = cpuTicks();
    const others = end.busy - start.busy - (end.ours - start.ours);
    return Math.max(0, others / (end.total - start.total));
  };
}

/** Runs a command to completion without measuring it; rejects with its stderr on failure. */
export function run(command, args, { cwd, env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stderr.slice(-2000)}`)),
    );
  });
}

export { GB };
