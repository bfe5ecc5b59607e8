import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

/** A vendor's published API description cut down to the operations the bot calls (test/fixtures/<vendor>/). */
interface Subset {
  operations: Record<
    string,
    {
      parameters: { name: string; in: 'header' | 'path'; required?: boolean; schema?: { enum?: string[] } }[];
      requestBody: object | null;
    }
  >;
}

export interface ApiRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Checks requests against the vendor's description: the operation exists, required headers are there (an
 * enum'd header such as Content-Type by media type), and the JSON body matches the request schema.
 * Returns the problems, empty when the request is one the vendor accepts.
 */
export function subsetValidator(file: string): (request: ApiRequest) => string[] {
  const subset = JSON.parse(readFileSync(file, 'utf8')) as Subset;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const operations = Object.entries(subset.operations).map(([key, op]) => {
    const [method, template] = key.split(' ') as [string, string];
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return { method, pattern, op, validate: op.requestBody ? ajv.compile(op.requestBody) : null, key };
  });
  return (request) => {
    const found = operations.find((o) => o.method === request.method && o.pattern.test(request.path));
    if (!found) return [`no operation ${request.method} ${request.path} in ${file}`];
    const problems: string[] = [];
    for (const param of found.op.parameters) {
      if (param.in !== 'header' || !param.required) continue;
      const raw = request.headers[param.name.toLowerCase()];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (!value) problems.push(`${found.key}: header ${param.name} missing`);
      else if (param.schema?.enum && !param.schema.enum.includes(value.split(';')[0]?.trim() ?? ''))
        problems.push(
          `${found.key}: header ${param.name} is ${value}, expected ${param.schema.enum.join(' or ')}`,
        );
    }
    if (found.validate && !found.validate(request.body))
      problems.push(`${found.key}: body ${ajv.errorsText(found.validate.errors)}`);
    return problems;
  };
}
