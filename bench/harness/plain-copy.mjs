/**
 * The baseline of the attachment-transfer benchmark: a plain streamed HTTP copy of a file from disk
 * to disk between two processes, with nothing but Node's own defaults.
 *
 * ROLE=server: a node:http server that answers `GET /<path>` with the file `<ROOT>/<path>`
 * (`fs.createReadStream` piped to the response, with its Content-Length).
 *
 * ROLE=client: a node:http server for the benchmark's commands only: `POST /copy` with a JSON body
 * `{url, to}` GETs `url` with `http.get` (node:http, no keep-alive), pipes the answer into
 * `fs.createWriteStream` on a file it opened, fsyncs that file once at the end, closes it, and answers
 * `{bytes}`. No digest, no database, no signature: only the bytes.
 *
 * Started by attachment.bench.ts as `node bench/harness/plain-copy.mjs`; prints `port N` once it
 * listens.
 */

import fs from 'node:fs';
import http from 'node:http';
import { join, normalize } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const fsync = promisify(fs.fsync);
const close = promisify(fs.close);
const open = promisify(fs.open);

const server =
  process.env.ROLE === 'server'
    ? http.createServer((req, res) => {
        // The URL's path is absolute, so normalizing it cannot climb above ROOT.
        const path = join(process.env.ROOT, normalize(decodeURIComponent(req.url.split('?')[0])));
        fs.stat(path, (error, info) => {
          if (error) {
            res.writeHead(404).end();
            return;
          }
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size });
          pipeline(fs.createReadStream(path), res).catch(() => res.destroy());
        });
      })
    : http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', async () => {
          try {
            const { url, to } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            const answer = await new Promise((resolve, reject) => http.get(url, resolve).on('error', reject));
            if (answer.statusCode !== 200) throw new Error(`GET ${url}: ${answer.statusCode}`);
            const fd = await open(to, 'w');
            let bytes = 0;
            answer.on('data', (c) => {
              bytes += c.byteLength;
            });
            try {
              await pipeline(answer, fs.createWriteStream(null, { fd, autoClose: false }));
              await fsync(fd);
            } finally {
              await close(fd);
            }
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
          } catch (error) {
            res.writeHead(500).end(String(error?.stack ?? error));
          }
        });
      });

server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
