// Baseline for `attachments`: a bare static file server (Express's static middleware) for downloads, and for uploads
// a bare multipart receiver writing the file to disk with multer, the library Essor streams uploads with. No
// authentication, type check, hashing, preview or database. Env: PORT, BENCH_STATIC_DIR (served at /files, uploads
// written there too).
import express from 'express';
import multer from 'multer';

const port = Number(process.env.PORT ?? 3300);
const dir = process.env.BENCH_STATIC_DIR;
const app = express();
app.get('/api/health', (_req, res) => res.json({ status: 'ok' }));
app.use('/files', express.static(dir, { etag: true }));
app.post('/upload', multer({ dest: dir }).single('file'), (req, res) => res.status(201).json({ size: req.file?.size ?? 0 }));
app.listen(port, '127.0.0.1', () => process.stdout.write(`static baseline listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
