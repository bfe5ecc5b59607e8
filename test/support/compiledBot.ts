/**
 * The bot compiled for the tests that run it as a child process. test/support/globalSetup.ts writes it
 * once per `vitest run` with esbuild (the transpiler tsx itself uses, so the code is the same; types are
 * checked by `tsc --noEmit`, as for dist/). `.test-dist/` sits beside src/, so the paths the bot reads
 * relative to its own files (../manifest.yml, ../package.json) resolve as they do from dist/.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = join(ROOT, 'src');
export const COMPILED_DIR = join(ROOT, '.test-dist');
/** Written after a complete build: its time is the build's (esbuild may leave an unchanged output untouched). */
const STAMP = join(COMPILED_DIR, '.built');

function sourceFiles(): string[] {
  return readdirSync(SOURCES, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(SOURCES, name));
}

/** Compiles every file of src/ to .test-dist/, one module a file, relative imports renamed to .js. */
export async function compileSources(): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: sourceFiles(),
    outbase: SOURCES,
    outdir: COMPILED_DIR,
    // Bundling only to rewrite imports: each relative import stays an import of the sibling .js file.
    bundle: true,
    packages: 'external',
    plugins: [
      {
        name: 'relative-imports-to-js',
        setup(compiler) {
          compiler.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) => ({
            path: args.path.replace(/\.ts$/, '.js'),
            external: true,
          }));
        },
      },
    ],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

/** The compiled entry point, or null when it is missing or older than a source file (run through tsx then). */
export function compiledEntry(): string | null {
  const entry = join(COMPILED_DIR, 'index.js');
  if (!existsSync(entry) || !existsSync(STAMP)) return null;
  const built = statSync(STAMP).mtimeMs;
  return sourceFiles().every((file) => statSync(file).mtimeMs <= built) ? entry : null;
}

/** Node's arguments to run the bot's entry point: compiled when it is current, else the sources through tsx. */
export function botArgs(): string[] {
  const entry = compiledEntry();
  return entry ? [entry] : ['--import', 'tsx', join(SOURCES, 'index.ts')];
}

/** The compiled runbook parser thread (src/runbooks/parseWorker.ts); throws when the build is missing or stale. */
export function compiledParseWorker(): URL {
  if (!compiledEntry())
    throw new Error('.test-dist/ is missing or stale: run the tests through vitest.config.ts');
  return pathToFileURL(join(COMPILED_DIR, 'runbooks', 'parseWorker.js'));
}
