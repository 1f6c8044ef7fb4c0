// A Vite plugin that writes a gzip twin (`file.gz`) beside every compressible file of the
// build; the gateway sends it to browsers that take gzip, so nothing is compressed per request.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants } from "node:zlib";
import type { Plugin } from "vite";

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
const WORTH_IT_BYTES = 1024;

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export function precompress(outDir = "dist"): Plugin {
  return {
    name: "kring-precompress",
    apply: "build",
    closeBundle() {
      for (const file of filesUnder(outDir)) {
        if (!COMPRESSIBLE.test(file) || statSync(file).size < WORTH_IT_BYTES) continue;
        const packed = gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION });
        writeFileSync(`${file}.gz`, packed);
      }
    },
  };
}
