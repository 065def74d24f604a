// A slow network for any browser: a TCP relay in front of the service that every byte crosses at a
// profile's rate, one link shared by all connections as on a phone, half the round trip added each
// way. Chromium's DevTools throttling exists only in Chromium; this lets Firefox and WebKit (and
// Chromium, to compare) meet the same network. Plain HTTP/1.1 passes through it, so it also tells
// which request each response byte belongs to (browsers do not pipeline): bytes by path, status and
// Content-Encoding, counted as they reach the browser. Connection setup costs no round trip, as in
// DevTools.
import net from 'node:net';

export const PROFILES = {
  'Slow 4G': { downKbps: 1600, upKbps: 750, rttMs: 150 },
  fast: { downKbps: 20000, upKbps: 10000, rttMs: 40 }
};

// slices small enough that a response arrives as a stream, not in bursts of a whole socket read
const SLICE = 4096;
// what one connection may have in flight before its sender is paused, like a TCP receive window
const WINDOW = 64 * 1024;

/** One direction of the link: first in, first out, at kbps (bits per millisecond), after delayMs. */
class Direction {
  constructor(kbps, delayMs) {
    this.kbps = kbps;
    this.delayMs = delayMs;
    this.freeAt = 0;
  }

  /** Sends chunk from flow's source to its dest; onArrive(bytes) as each slice reaches dest. */
  send(chunk, flow, onArrive) {
    for (let i = 0; i < chunk.length; i += SLICE) {
      const slice = chunk.subarray(i, Math.min(chunk.length, i + SLICE));
      this.freeAt = Math.max(performance.now(), this.freeAt) + (slice.length * 8) / this.kbps;
      flow.queue.push({ slice, arrival: this.freeAt + this.delayMs, onArrive });
      flow.inFlight += slice.length;
    }
    if (flow.inFlight > WINDOW) flow.source.pause();
    if (!flow.timer) deliver(flow);
  }

  /** Ends dest once what source sent before its end has arrived. */
  end(flow) {
    flow.ending = true;
    if (!flow.timer) deliver(flow);
  }
}

/**
 * Writes what of flow's queue has arrived, in order (one timer per connection and direction: timers
 * of different delays may fire out of order), then waits for the next slice.
 */
function deliver(flow) {
  flow.timer = null;
  const now = performance.now();
  while (flow.queue.length && flow.queue[0].arrival <= now) {
    const { slice, onArrive } = flow.queue.shift();
    flow.inFlight -= slice.length;
    if (!flow.dest.destroyed) {
      flow.dest.write(slice);
      onArrive(slice.length);
    }
  }
  if (flow.inFlight <= WINDOW / 2 && !flow.source.destroyed) flow.source.resume();
  if (flow.queue.length) {
    flow.timer = setTimeout(deliver, flow.queue[0].arrival - now, flow);
  } else if (flow.ending && !flow.hung && !flow.dest.destroyed) {
    flow.dest.end();
  }
}

/**
 * Starts a relay to target ({host, port}) shaped by profile ({downKbps, upKbps, rttMs}). Returns
 * {port, requests(), reset(), close()}: requests() lists {path, status, encoding, bytes, doneAt}
 * since the last reset(), bytes counted as they reached the browser. With hang ({path, afterBytes}),
 * the first response to a path matching that RegExp stops after afterBytes, its connection left
 * open: a connection a phone's network dropped without closing it.
 */
export async function throttledLink(target, profile, hang = null) {
  const down = new Direction(profile.downKbps, profile.rttMs / 2);
  const up = new Direction(profile.upKbps, profile.rttMs / 2);
  let requests = [];
  const sockets = new Set();
  const server = net.createServer(client => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const flow = (source, dest) => ({ source, dest, queue: [], inFlight: 0, timer: null, ending: false, hung: false });
    const toServer = flow(client, upstream);
    const toClient = flow(upstream, client);
    let current = null;
    client.on('data', chunk => {
      const line = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 2048)));
      if (line) {
        current = { path: line[2].replace(/\?.*/, ''), status: null, encoding: null, bytes: 0, doneAt: null };
        requests.push(current);
      }
      up.send(chunk, toServer, () => {});
    });
    upstream.on('data', chunk => {
      const request = current;
      if (toClient.hung) return;
      if (hang && request && hang.path.test(request.path)) {
        const room = hang.afterBytes - (request.sent || 0);
        if (chunk.length >= room) {
          chunk = chunk.subarray(0, room);
          toClient.hung = true;
          upstream.pause();
          hang = null;
        }
        request.sent = (request.sent || 0) + chunk.length;
      }
      if (request && request.status === null) {
        const head = chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
        const status = /^HTTP\/1\.[01] (\d+)/.exec(head);
        const encoding = /\r\ncontent-encoding: *([^\r]+)/i.exec(head);
        request.status = status ? Number(status[1]) : 0;
        request.encoding = encoding ? encoding[1] : null;
      }
      down.send(chunk, toClient, n => {
        if (request) {
          request.bytes += n;
          request.doneAt = Date.now();
        }
      });
    });
    client.on('end', () => up.end(toServer));
    upstream.on('end', () => down.end(toClient));
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // The browser gone, its connection goes. The service's side gone (an error is followed by
    // 'close'), the browser's ends once the bytes before it have arrived: deliver() ends it after
    // the last one (a timer of its own could fire before deliver's and cut the end of a response).
    client.on('error', close).on('close', close);
    upstream.on('error', () => {}).on('close', () => down.end(toClient));
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    requests: () => requests.map(r => ({ ...r })),
    reset: () => { requests = []; },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise(resolve => server.close(resolve));
    }
  };
}

/**
 * The URL to open for url over a link of the named profile ("Slow 4G", "fast"; none: url itself),
 * with close() for the link. With hangVideoAfterBytes, the link's first video response stops after
 * that many bytes, its connection left open (throttledLink's hang).
 */
export async function throttledUrl(url, network, hangVideoAfterBytes = 0) {
  if (!network) return { url, close: async () => {} };
  const service = new URL(url);
  const hang = hangVideoAfterBytes ? { path: /\.mp4$/, afterBytes: hangVideoAfterBytes } : null;
  const link = await throttledLink({ host: service.hostname, port: service.port }, PROFILES[network], hang);
  return { url: `http://localhost:${link.port}${service.pathname}${service.search}`, close: link.close };
}
