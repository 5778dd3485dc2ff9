/**
 * One relay hop as a child process: answers at once (A: 202 with an id, like /v1/messages; B: 200,
 * like /v1/inbox) and forwards the same bytes to NEXT with undici's request (as the nodes do), the id
 * in X-Yrdx-Message-Id.
 *
 * With SIGN=1 it also does the signature work no signing gateway can skip, with node:crypto as the
 * yrdx nodes do and the same algorithms: A signs each body (ES256) before it forwards it and checks
 * B's signed receipt in the answer (EdDSA); B checks A's signature and signs a receipt over the
 * body's SHA-256 before it answers. Nothing else: no JSON, no validation, no translation, no store.
 *
 * Started by relay.ts as `node bench/harness/relay.mjs` with ROLE (a or b), NEXT (the URL to forward
 * to) and, to sign, SIGN=1 with OWN_KEY and PEER_KEY (PEM); it prints `port N` once it listens.
 */

import crypto from 'node:crypto';
import http from 'node:http';
import { Agent, request } from 'undici';

const agent = new Agent({ connections: 64, keepAliveTimeout: 10000 });
const next = process.env.NEXT;
const first = process.env.ROLE === 'a';
const signing = process.env.SIGN === '1';
const own = signing ? crypto.createPrivateKey(process.env.OWN_KEY) : undefined;
const peer = signing ? crypto.createPublicKey(process.env.PEER_KEY) : undefined;
const ES256 = (key) => ({ key, dsaEncoding: 'ieee-p1363' });
let seq = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const id = first ? `${process.pid}-${++seq}` : req.headers['x-yrdx-message-id'];
    const headers = {
      'content-type': req.headers['content-type'] ?? 'application/octet-stream',
      'x-yrdx-message-id': id,
    };
    if (first) {
      if (signing) headers['x-signature'] = crypto.sign('sha256', body, ES256(own)).toString('base64');
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    } else if (signing) {
      const signature = Buffer.from(String(req.headers['x-signature']), 'base64');
      if (!crypto.verify('sha256', body, ES256(peer), signature)) return res.writeHead(400).end();
      const receipt = Buffer.from(`${id} ${crypto.createHash('sha256').update(body).digest('hex')}`);
      res.writeHead(200).end(`${receipt.toString()} ${crypto.sign(null, receipt, own).toString('base64')}`);
    } else res.writeHead(200).end();
    request(next, { method: 'POST', headers, body, dispatcher: agent, signal: AbortSignal.timeout(5000) })
      .then((r) => r.body.text())
      .then((answer) => {
        if (!first || !signing) return;
        const at = answer.lastIndexOf(' ');
        const receipt = Buffer.from(answer.slice(0, at));
        if (!crypto.verify(null, receipt, peer, Buffer.from(answer.slice(at + 1), 'base64')))
          throw new Error('the receipt does not verify');
      })
      .catch((e) => process.stderr.write(`relay: ${e.message}\n`));
  });
});
server.keepAliveTimeout = 10000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
