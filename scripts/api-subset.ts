/**
 * Cuts a vendor's published OpenAPI description down to the operations incident-bot calls, for the fakes in
 * test/support/ to check requests against (test/support/apiSubset.ts reads the result).
 *
 *   node --import tsx scripts/api-subset.ts <description.json> <out.json> <source> <licence> <prefix> "METHOD /path"...
 *
 * `prefix` is the server URL's path (`/v1`, `/v2`, or `''`) joined to each path, as the client sends it.
 * $refs are inlined to 6 levels (deeper ones, which are recursive in Jira's description, become `{}`);
 * descriptions and examples are dropped. The request's media type becomes a required Content-Type header, and
 * an API key the operation's security requires in a header (Statuspage's `Authorization`) a required header.
 */
import { readFileSync, writeFileSync } from 'node:fs';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const [file, out, source, licence, prefix = '', ...wanted] = process.argv.slice(2);
if (!file || !out || !source || !licence || wanted.length === 0) {
  console.error(
    'usage: api-subset.ts <description.json> <out.json> <source> <licence> <prefix> "METHOD /path"...',
  );
  process.exit(2);
}
const spec = JSON.parse(readFileSync(file, 'utf8')) as Obj;
const DROP = new Set([
  'description',
  'example',
  'examples',
  'x-examples',
  'externalDocs',
  'x-atlassian-connect-scope',
]);

function at(ref: string): Json {
  let node: Json = spec;
  for (const part of ref.replace(/^#\//, '').split('/'))
    node = (node as Obj)[part.replace(/~1/g, '/')] ?? null;
  return node;
}

function inline(node: Json, depth: number): Json {
  if (Array.isArray(node)) return node.map((n) => inline(n, depth));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return depth >= 6 ? {} : inline(at(node.$ref), depth + 1);
  const copy: Obj = {};
  // OpenAPI 3.0's `nullable` is not JSON Schema: the validator (ajv) wants `type: [..., 'null']` instead.
  if (node.nullable === true && typeof node.type === 'string') copy.type = [node.type, 'null'];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || (key === 'type' && 'type' in copy)) continue;
    // A property may be named "description": only drop the keyword, which is a string or an object of examples.
    if (DROP.has(key) && (typeof value === 'string' || key !== 'description')) continue;
    copy[key] = inline(value, depth);
  }
  return copy;
}

/** The headers an operation's security (its own, else the description's) requires: apiKey schemes in a header. */
function securityHeaders(op: Obj): Obj[] {
  const schemes = ((spec.components as Obj | undefined)?.securitySchemes ?? {}) as Obj;
  const requirements = (op.security ?? spec.security ?? []) as Obj[];
  // Any one requirement satisfies the operation, so a header is required only when it is the sole choice.
  if (requirements.length !== 1) return [];
  return Object.keys(requirements[0] ?? {}).flatMap((name) => {
    const scheme = schemes[name] as Obj | undefined;
    if (scheme?.type !== 'apiKey' || scheme.in !== 'header' || typeof scheme.name !== 'string') return [];
    return [{ name: scheme.name, in: 'header', required: true, schema: { type: 'string' } }];
  });
}

const operations: Obj = {};
for (const key of wanted) {
  const [method = '', path = ''] = key.split(' ');
  const op = ((spec.paths as Obj)[path] as Obj | undefined)?.[method.toLowerCase()] as Obj | undefined;
  if (!op) throw new Error(`${key} is not in ${file}`);
  const content = ((inline(op.requestBody ?? null, 0) as Obj | null)?.content ?? null) as Obj | null;
  const mediaType = content ? Object.keys(content)[0] : undefined;
  const parameters = ((inline(op.parameters ?? [], 0) as Obj[]) ?? []).filter((p) => p.in !== 'query');
  parameters.push(...securityHeaders(op));
  if (mediaType)
    parameters.push({
      name: 'Content-Type',
      in: 'header',
      required: true,
      schema: { type: 'string', enum: [mediaType] },
    });
  operations[`${method.toUpperCase()} ${prefix}${path}`] = {
    operationId: op.operationId ?? null,
    parameters,
    requestBody: mediaType ? (((content as Obj)[mediaType] as Obj).schema ?? null) : null,
  };
}
const note =
  'The operations incident-bot calls, cut by scripts/api-subset.ts: $refs inlined (6 levels), descriptions and examples dropped; the request media type stands as a required Content-Type header, a header API key the security requires as a required header.';
writeFileSync(out, `${JSON.stringify({ source, licence, note, operations }, null, 1)}\n`);
console.log(`${Object.keys(operations).length} operations -> ${out}`);
