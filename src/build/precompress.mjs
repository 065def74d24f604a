// Build step (pom.xml, process-resources): writes a brotli (.br) and a gzip (.gz) copy beside each
// text asset under each <dir> (the packaged static folders), at the strongest settings, so the service (and
// nginx's gzip_static) send them without compressing per request. A copy that would not be smaller
// is not written, and copies newer than their file are kept (brotli's best takes a minute on the
// libraries). Usage: node precompress.mjs <dir>...
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|mjs|css|html|json|svg|txt|yaml)$/;

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (TEXT.test(name)) out.push(path);
  }
  return out;
}

const fresh = (path, copy) => existsSync(copy) && statSync(copy).mtimeMs >= statSync(path).mtimeMs;

let files = 0;
const dirs = process.argv.slice(2).filter(existsSync);
for (const path of dirs.flatMap((dir) => walk(dir, []))) {
  if (fresh(path, path + '.br') && fresh(path, path + '.gz')) continue;
  const bytes = readFileSync(path);
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const gz = gzipSync(bytes, { level: 9 });
  if (br.length < bytes.length) writeFileSync(path + '.br', br);
  if (gz.length < bytes.length) writeFileSync(path + '.gz', gz);
  files++;
}
if (files > 0) console.log(`[precompress] ${files} files under ${dirs.join(', ')}`);
