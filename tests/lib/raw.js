// Raw HTTP over a plain socket, for requests fetch would refuse or rewrite (odd request targets, slow
// senders, a chosen local address), and waiting for a condition with a deadline instead of sleeping.
import net from 'node:net';

// rawRequest(port, text, {host, localAddress, timeout}) -> {status, head, body, raw}: writes text, reads until
// the server closes the connection (send "Connection: close"), and splits the first answer.
export function rawRequest(port, text, { host = '127.0.0.1', localAddress, timeout = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host, localAddress }, () => s.write(text));
    let buf = Buffer.alloc(0);
    s.on('data', (d) => { buf = Buffer.concat([buf, d]); });
    s.on('end', () => {
      const t = buf.toString('utf8');
      const i = t.indexOf('\r\n\r\n');
      const head = i < 0 ? t : t.slice(0, i);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]), head, body: i < 0 ? '' : t.slice(i + 4), raw: t });
    });
    s.on('error', reject);
    s.setTimeout(timeout, () => { s.destroy(); reject(new Error(`raw request timed out: ${JSON.stringify(text.slice(0, 60))}`)); });
  });
}

// waitFor(fn, {timeout, interval, what}) -> the first truthy value of fn(), polling until the deadline.
export async function waitFor(fn, { timeout = 5000, interval = 20, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// openSocket(port, {host, localAddress}) -> a connected socket, or rejects.
export function openSocket(port, { host = '127.0.0.1', localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host, localAddress });
    s.once('connect', () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}
