// Load generator for `attachments`: uploads one file several times (multipart, field `file`) then downloads it several
// times, one transfer at a time, and reports MB/s (the median round) each way, with its own CPU share.
// BENCH_ARGS (JSON): { uploadUrl, downloadUrl?: string, token?, file, rounds }. Without downloadUrl, the download
// goes to the `url` of the first upload's answer (Essor), resolved against uploadUrl.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { cpuShare, emitResult } from './lib.mjs';

const args = JSON.parse(process.env.BENCH_ARGS);
const bytes = readFileSync(args.file);
const headers = args.token ? { authorization: `Bearer ${args.token}` } : {};
const megabytes = bytes.length / (1024 * 1024);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const cpuMark = process.cpuUsage();
const started = performance.now();
const uploads = [];
let downloadUrl = args.downloadUrl;
for (let round = 0; round < args.rounds; round++) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), basename(args.file));
  const t = performance.now();
  const response = await fetch(args.uploadUrl, { method: 'POST', headers, body: form });
  const answer = await response.json();
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${JSON.stringify(answer)}`);
  uploads.push(megabytes / ((performance.now() - t) / 1000));
  downloadUrl ??= new URL(answer.url, args.uploadUrl).toString();
}
const downloads = [];
for (let round = 0; round < args.rounds; round++) {
  const t = performance.now();
  const response = await fetch(downloadUrl, { headers });
  const received = (await response.arrayBuffer()).byteLength;
  if (response.status !== 200 || received !== bytes.length) throw new Error(`download: ${response.status}, ${received} bytes`);
  downloads.push(megabytes / ((performance.now() - t) / 1000));
}
emitResult({
  megabytes: Math.round(megabytes * 10) / 10,
  rounds: args.rounds,
  uploadMBps: Math.round(median(uploads) * 10) / 10,
  downloadMBps: Math.round(median(downloads) * 10) / 10,
  uploads: uploads.map((x) => Math.round(x * 10) / 10),
  downloads: downloads.map((x) => Math.round(x * 10) / 10),
  clientCpu: cpuShare(cpuMark, performance.now() - started),
});
